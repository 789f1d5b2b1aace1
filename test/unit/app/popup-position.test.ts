import { describe, expect, it } from 'vitest';
import { popupPosition, POPUP_SIZE } from '../../../main/windows/popup-position.js';

/** The MFA popup appears next to the tray, or in the tray's usual corner when it cannot be located. */
const screen = { x: 0, y: 0, width: 1920, height: 1040 };

describe('MFA popup position', () => {
  it('macOS menu bar (tray at the top): centred below the icon, inside the work area', () => {
    expect(popupPosition({ x: 1500, y: 0, width: 22, height: 22 }, { x: 0, y: 25, width: 1920, height: 1055 }, 'darwin')).toEqual({ x: 1511 - POPUP_SIZE.width / 2, y: 33 });
  });

  it('Windows taskbar (tray at the bottom): above the icon, kept on screen at the right edge', () => {
    const { x, y } = popupPosition({ x: 1890, y: 1045, width: 24, height: 24 }, screen, 'win32');
    expect(x).toBe(1920 - POPUP_SIZE.width - 8);
    expect(y).toBe(1045 - POPUP_SIZE.height - 8);
  });

  it('Linux (tray position unknown, zero bounds): bottom-right corner of the work area', () => {
    expect(popupPosition({ x: 0, y: 0, width: 0, height: 0 }, screen, 'linux')).toEqual({ x: 1920 - POPUP_SIZE.width - 8, y: 1040 - POPUP_SIZE.height - 8 });
    expect(popupPosition(undefined, screen, 'linux')).toEqual({ x: 1920 - POPUP_SIZE.width - 8, y: 1040 - POPUP_SIZE.height - 8 });
  });

  it('never off the left or top edge', () => {
    expect(popupPosition({ x: 2, y: 0, width: 20, height: 20 }, screen, 'linux')).toEqual({ x: 8, y: 28 });
  });
});
