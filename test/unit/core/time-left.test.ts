import { describe, expect, it } from 'vitest';
import { compactTimeLeft, timeLeft } from '../../../main/core/time-left.js';

/** Time left, as the tray's tooltip and the macOS menu bar say it. */
describe('time left', () => {
  it.each([
    [12 * 3600_000, '12 h', '12h00m'],
    [11 * 3600_000 + 58 * 60_000 + 59_000, '11 h 58 min', '11h58m'],
    [4 * 60_000 + 30_000, '4 min', '4m'],
    [59_999, 'less than a minute', '<1m'],
    [-5_000, 'less than a minute', '<1m'],
  ])('%d ms: %s, %s', (ms, words, compact) => {
    expect(timeLeft(ms)).toBe(words);
    expect(compactTimeLeft(ms)).toBe(compact);
  });
});
