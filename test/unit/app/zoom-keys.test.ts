import { describe, expect, it } from 'vitest';
import { popupWindowSize } from '../../../main/windows/popup-size.js';
import { POPUP_SIZE } from '../../../main/windows/popup-position.js';
import { nextZoomFactor, ZOOM_FACTORS, zoomCommandFor, type KeyInput } from '../../../main/windows/zoom-keys.js';

const key = (k: string, modifiers: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, control: false, meta: false, alt: false, ...modifiers });

describe('the zoom keys of windows without a menu bar', () => {
  it('Ctrl with = or +, - and 0 zoom in, out and back on Windows and Linux', () => {
    for (const platform of ['win32', 'linux'] as const) {
      expect(zoomCommandFor(key('=', { control: true }), platform)).toBe('in');
      expect(zoomCommandFor(key('+', { control: true }), platform)).toBe('in');
      expect(zoomCommandFor(key('-', { control: true }), platform)).toBe('out');
      expect(zoomCommandFor(key('_', { control: true }), platform)).toBe('out');
      expect(zoomCommandFor(key('0', { control: true }), platform)).toBe('reset');
      // Cmd is not the zoom modifier there.
      expect(zoomCommandFor(key('=', { meta: true }), platform)).toBeNull();
    }
  });

  it('Cmd zooms on macOS, and Ctrl does not', () => {
    expect(zoomCommandFor(key('=', { meta: true }), 'darwin')).toBe('in');
    expect(zoomCommandFor(key('-', { meta: true }), 'darwin')).toBe('out');
    expect(zoomCommandFor(key('0', { meta: true }), 'darwin')).toBe('reset');
    expect(zoomCommandFor(key('=', { control: true }), 'darwin')).toBeNull();
  });

  it('leaves every other key alone: no modifier, Alt (AltGr) held, both modifiers, other keys, key releases', () => {
    expect(zoomCommandFor(key('='), 'linux')).toBeNull();
    expect(zoomCommandFor(key('-', { control: true, alt: true }), 'linux')).toBeNull();
    expect(zoomCommandFor(key('0', { control: true, meta: true }), 'linux')).toBeNull();
    expect(zoomCommandFor(key('c', { control: true }), 'linux')).toBeNull();
    expect(zoomCommandFor(key('1', { control: true }), 'linux')).toBeNull();
    expect(zoomCommandFor({ ...key('=', { control: true }), type: 'keyUp' }, 'linux')).toBeNull();
  });

  it('steps through the zoom levels, reaches 200% in five steps, stops at the ends, and resets to 100%', () => {
    let factor = 1;
    for (let i = 0; i < 5; i += 1) factor = nextZoomFactor(factor, 'in');
    expect(factor).toBe(2);
    expect(nextZoomFactor(factor, 'out')).toBe(1.75);
    expect(nextZoomFactor(factor, 'reset')).toBe(1);
    expect(nextZoomFactor(ZOOM_FACTORS[ZOOM_FACTORS.length - 1] ?? 3, 'in')).toBe(3);
    expect(nextZoomFactor(0.5, 'out')).toBe(0.5);
    // A factor between steps (set some other way) moves to the next step in the asked direction.
    expect(nextZoomFactor(1.3, 'in')).toBe(1.5);
    expect(nextZoomFactor(1.3, 'out')).toBe(1.25);
  });

  it('the MFA popup grows with the zoom, up to the screen, and never below its 100% size', () => {
    const screen = { width: 1920, height: 1040 };
    expect(popupWindowSize(1, screen)).toEqual(POPUP_SIZE);
    expect(popupWindowSize(2, screen)).toEqual({ width: POPUP_SIZE.width * 2, height: POPUP_SIZE.height * 2 });
    expect(popupWindowSize(0.5, screen)).toEqual(POPUP_SIZE);
    expect(popupWindowSize(3, { width: 1024, height: 600 })).toEqual({ width: 1008, height: 584 });
    expect(popupWindowSize(Number.NaN, screen)).toEqual(POPUP_SIZE);
  });
});
