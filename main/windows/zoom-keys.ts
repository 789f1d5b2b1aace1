/**
 * Page zoom from the keyboard, as browsers do: Ctrl (Cmd on macOS) with `=` or `+` zooms in,
 * `-` zooms out, `0` goes back to 100%. The windows have no menu bar (so no menu accelerators),
 * hence main reads the keys itself (window-zoom.ts). Plain functions: no Electron here.
 */

export type ZoomCommand = 'in' | 'out' | 'reset';

/** What Electron's `before-input-event` says about a key (the fields we read). */
export interface KeyInput {
  type: string;
  /** The DOM `key` value: '=', '+', '-', '0', ... (the numeric keypad gives the same characters). */
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
}

/** The zoom a key press asks for, or null when it is not a zoom key. */
export function zoomCommandFor(input: KeyInput, platform: NodeJS.Platform): ZoomCommand | null {
  if (input.type !== 'keyDown' || input.alt) return null;
  // Cmd on macOS, Ctrl elsewhere; the other modifier must be up (Ctrl+Cmd+... are other shortcuts).
  const command = platform === 'darwin' ? input.meta && !input.control : input.control && !input.meta;
  if (!command) return null;
  switch (input.key) {
    case '=':
    case '+':
      return 'in';
    case '-':
    case '_':
      return 'out';
    case '0':
      return 'reset';
    default:
      return null;
  }
}

/** The zoom steps, as Chromium offers them (so 200% is reached exactly, in five steps from 100%). */
export const ZOOM_FACTORS = [0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3] as const;

/** The zoom factor after a command: the next step up or down (clamped at the ends), or 1. */
export function nextZoomFactor(current: number, command: ZoomCommand): number {
  if (command === 'reset') return 1;
  const epsilon = 0.001;
  if (command === 'in') return ZOOM_FACTORS.find((f) => f > current + epsilon) ?? ZOOM_FACTORS[ZOOM_FACTORS.length - 1] ?? current;
  return [...ZOOM_FACTORS].reverse().find((f) => f < current - epsilon) ?? ZOOM_FACTORS[0] ?? current;
}
