import { POPUP_SIZE, type Rect } from './popup-position.js';

/**
 * The MFA popup's window size at a page zoom: its 100% size times the zoom, so its content lays
 * out at 200% as it does at 100% (title, identity, code field and buttons all in view), but never
 * larger than the screen's work area (less a margin); there the page scrolls vertically.
 */
export function popupWindowSize(zoomFactor: number, workArea: Pick<Rect, 'width' | 'height'>): { width: number; height: number } {
  const margin = 16;
  const factor = Number.isFinite(zoomFactor) && zoomFactor > 0 ? Math.max(1, zoomFactor) : 1;
  return {
    width: Math.max(1, Math.min(Math.ceil(POPUP_SIZE.width * factor), workArea.width - margin)),
    height: Math.max(1, Math.min(Math.ceil(POPUP_SIZE.height * factor), workArea.height - margin)),
  };
}
