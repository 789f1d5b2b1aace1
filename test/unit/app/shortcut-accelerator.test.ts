import { describe, expect, it } from 'vitest';
import { acceleratorLabel, acceleratorProblem, DEFAULT_SWITCHER_SHORTCUT } from '../../../main/app-services/shortcut-accelerator.js';

/** The quick switcher's shortcut: what Electron can register, refused with a sentence otherwise. */
describe('the quick switcher shortcut', () => {
  it.each([DEFAULT_SWITCHER_SHORTCUT, 'CmdOrCtrl+Shift+Space', 'Ctrl+Alt+K', 'Super+F12', 'F9', 'Alt+Shift+1', 'Control++'])('accepts %s', (text) => {
    expect(acceleratorProblem(text)).toBeUndefined();
  });

  it.each([
    ['', 'Write a shortcut as keys joined by +'],
    ['A', 'A global shortcut needs Ctrl, Alt, Command or Super'],
    ['Shift+A', 'A global shortcut needs Ctrl, Alt, Command or Super'],
    ['Hyper+A', 'a modifier that is none of those'],
    ['Ctrl+Alt+Banana', 'End a shortcut with one key'],
    ['Ctrl+Ctrl+A', 'Name each modifier once.'],
    ['Cmd+CommandOrControl+A', 'Name each modifier once.'],
    ['Ctrl + A', 'Write a shortcut as keys joined by +'],
    ['Ctrl+A\u001b[31m', 'End a shortcut with one key'],
  ])('refuses %j with a sentence', (text, words) => {
    expect(acceleratorProblem(text)).toContain(words);
  });

  it('is shown the way each OS writes shortcuts', () => {
    expect(acceleratorLabel(DEFAULT_SWITCHER_SHORTCUT, 'linux')).toBe('Ctrl+Alt+A');
    expect(acceleratorLabel(DEFAULT_SWITCHER_SHORTCUT, 'win32')).toBe('Ctrl+Alt+A');
    expect(acceleratorLabel(DEFAULT_SWITCHER_SHORTCUT, 'darwin')).toBe('⌘⌥A');
    expect(acceleratorLabel('Ctrl+Shift+space', 'linux')).toBe('Ctrl+Shift+space');
  });
});
