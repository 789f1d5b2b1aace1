import type { WebContents } from 'electron';
import { zoomCommandFor, type ZoomCommand } from './zoom-keys.js';

/**
 * Ctrl/Cmd + `=`/`+`, `-`, `0` in a window without a menu bar: the keys are read before the page
 * sees them (zoom-keys.ts decides), and the zoom is applied by the caller to every window of ours,
 * so the MFA popup opens at the zoom the person chose in the main window.
 */
export function onZoomKeys(contents: WebContents, zoom: (command: ZoomCommand) => void): void {
  contents.on('before-input-event', (event, input) => {
    const command = zoomCommandFor(input, process.platform);
    if (command === null) return;
    event.preventDefault();
    zoom(command);
  });
}
