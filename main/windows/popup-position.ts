/** Where the MFA popup goes: next to the tray icon, or in the usual tray corner when its position is unknown. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const POPUP_SIZE = { width: 380, height: 330 } as const;

export function popupPosition(
  trayBounds: Rect | undefined,
  workArea: Rect,
  platform: NodeJS.Platform,
  size: { width: number; height: number } = POPUP_SIZE,
): { x: number; y: number } {
  const margin = 8;
  const { width, height } = size;
  if (trayBounds && trayBounds.width > 0 && trayBounds.height > 0) {
    const centred = trayBounds.x + trayBounds.width / 2 - width / 2;
    const x = Math.round(Math.min(Math.max(centred, workArea.x + margin), workArea.x + workArea.width - width - margin));
    // Tray at the top (macOS, some Linux panels): below it; at the bottom (Windows): above it.
    const below = trayBounds.y < workArea.y + workArea.height / 2;
    const y = below ? trayBounds.y + trayBounds.height + margin : trayBounds.y - height - margin;
    return { x, y: Math.max(workArea.y + margin, y) };
  }
  // Linux reports no tray position: the corner where trays usually are.
  const right = workArea.x + workArea.width - width - margin;
  return platform === 'darwin' ? { x: right, y: workArea.y + margin } : { x: right, y: workArea.y + workArea.height - height - margin };
}
