import { describe, expect, it } from 'vitest';
import { expiresIn, table } from '../../../main/cli/output-table.js';
import { printable, printableJson } from '../../../main/cli/terminal-text.js';

/**
 * The one function every command's output goes through before a value reaches the terminal:
 * C0 controls, DEL and C1 controls never get there. Whitespace controls become a space (so
 * words stay apart and no line or row can be forged); the others are removed.
 */
describe('printable', () => {
  it('removes escape sequences\' introducers, BEL, DEL and every C1 control', () => {
    expect(printable('\u001b[2Jred\u0007\u007f\u009b31m\u0085\u008d')).toBe('[2Jred31m');
    for (let code = 0; code <= 0x9f; code += 1) {
      const char = String.fromCharCode(code);
      const control = code < 0x20 || code >= 0x7f;
      expect(printable(`a${char}b`), `U+${code.toString(16)}`).toBe(control ? (/[\t\n\v\f\r]/.test(char) ? 'a b' : 'ab') : `a${char}b`);
    }
  });

  it('turns line breaks, tabs and carriage returns into one space each: no forged lines', () => {
    expect(printable('ok\r\nsecurity  ok')).toBe('ok  security  ok');
    expect(printable('a\tb')).toBe('a b');
  });

  it('leaves everything else alone: letters of any script, emoji, the arrow in "Security credentials → MFA"', () => {
    const text = 'Ünïcødé 日本語 🙂 → « » \u00a0 done';
    expect(printable(text)).toBe(text);
  });
});

describe('printableJson', () => {
  it('is JSON.stringify with DEL and the C1 controls escaped too, so it parses back to the same value', () => {
    const value = { reason: 'a\u001b[2J\u009b31m\u007fb', list: ['\u0085'] };
    const text = printableJson(value);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('\\u009b');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('table', () => {
  it('shows every cell printable, so a value cannot forge a row or move the cursor', () => {
    const out = table(['PROFILE', 'ARN'], [['dev', 'arn:x\ndev  arn:forged\u001b[1A']]);
    expect(out.split('\n')).toHaveLength(4);
    expect(out).not.toContain('\u001b');
  });
});

describe('expiresIn: the time left in the words (and the rounding) of the tray and the app', () => {
  const now = new Date('2026-12-03T08:00:00Z');
  it.each([
    ['2026-12-03T19:58:59Z', 'in 11 h 58 min'],
    ['2026-12-03T20:00:00Z', 'in 12 h'],
    ['2026-12-03T08:04:30Z', 'in 4 min'],
    ['2026-12-03T08:00:30Z', 'in less than a minute'],
    ['2026-12-03T07:56:59Z', 'expired 3 min ago'],
    ['2026-12-03T08:00:00Z', 'expired less than a minute ago'],
  ])('%s: %s', (expiration, words) => {
    expect(expiresIn(expiration, now)).toBe(words);
  });
  it('says nothing when there is no expiry', () => {
    expect(expiresIn(undefined, now)).toBe('');
  });
});
