/**
 * The quick switcher's global shortcut, as Electron writes accelerators ("CommandOrControl+Alt+A"):
 * checked before it is saved, so a typo is a sentence in Settings instead of a shortcut that
 * silently never works, and shown the way the person's OS writes it.
 */

export const DEFAULT_SWITCHER_SHORTCUT = 'CommandOrControl+Alt+A';

const MODIFIERS = new Map<string, 'command' | 'control' | 'commandOrControl' | 'alt' | 'shift' | 'super'>([
  ['command', 'command'],
  ['cmd', 'command'],
  ['control', 'control'],
  ['ctrl', 'control'],
  ['commandorcontrol', 'commandOrControl'],
  ['cmdorctrl', 'commandOrControl'],
  ['alt', 'alt'],
  ['option', 'alt'],
  ['altgr', 'alt'],
  ['shift', 'shift'],
  ['super', 'super'],
  ['meta', 'super'],
]);

const NAMED_KEYS = new Set(
  [
    'Plus', 'Space', 'Tab', 'Backspace', 'Delete', 'Insert', 'Return', 'Enter', 'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp', 'PageDown',
    'Escape', 'Esc', 'PrintScreen', 'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9', 'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
  ].map((k) => k.toLowerCase()),
);

function isKey(part: string): boolean {
  if (/^[A-Za-z0-9]$/.test(part)) return true;
  if (/^F([1-9]|1\d|2[0-4])$/i.test(part)) return true;
  if (/^[)!@#$%^&*(:;<=>?_+`~'",.\-/\\[\]{}|]$/.test(part)) return true;
  return NAMED_KEYS.has(part.toLowerCase());
}

/** Why the text is not a shortcut the app can register, or undefined when it is one. */
export function acceleratorProblem(text: string): string | undefined {
  const parts = text.split('+');
  // "Ctrl++" is Ctrl and the plus key.
  if (text.endsWith('++')) parts.splice(parts.length - 2, 2, 'Plus');
  if (parts.some((p) => p.trim() === '' || p !== p.trim())) return 'Write a shortcut as keys joined by +, like CommandOrControl+Alt+A.';
  const key = parts.at(-1) ?? '';
  const modifiers = parts.slice(0, -1).map((m) => MODIFIERS.get(m.toLowerCase()));
  // The sentences never quote what was typed: it reached main from a window (see ipc-contract.ts).
  if (modifiers.some((m) => m === undefined)) return 'Start a shortcut with modifiers (CommandOrControl, Ctrl, Alt, Shift, Super), then one key; this one has a modifier that is none of those.';
  if (!isKey(key)) return 'End a shortcut with one key a shortcut can use: a letter, a digit, F1 to F24, or a named key such as Space.';
  // CommandOrControl is Command on macOS: naming both is naming one twice.
  if (new Set(modifiers.map((m) => (m === 'commandOrControl' ? 'command' : m))).size !== modifiers.length) return 'Name each modifier once.';
  const meaningful = modifiers.filter((m) => m !== 'shift');
  if (meaningful.length === 0 && !/^F\d+$/i.test(key)) return 'A global shortcut needs Ctrl, Alt, Command or Super, or it would take that key from every app you type in.';
  return undefined;
}

/** The shortcut as the OS writes it: ⌘⌥A on macOS, Ctrl+Alt+A elsewhere. */
export function acceleratorLabel(text: string, platform: string): string {
  const mac = platform === 'darwin';
  const names: Record<string, string> = mac
    ? { command: '⌘', control: '⌃', commandOrControl: '⌘', alt: '⌥', shift: '⇧', super: '⌘' }
    : { command: 'Super', control: 'Ctrl', commandOrControl: 'Ctrl', alt: 'Alt', shift: 'Shift', super: 'Super' };
  const parts = text.split('+');
  const key = parts.at(-1) ?? '';
  const modifiers = parts.slice(0, -1).map((m) => names[MODIFIERS.get(m.toLowerCase()) ?? ''] ?? m);
  const keyLabel = key.length === 1 ? key.toUpperCase() : key;
  return mac ? [...modifiers, keyLabel].join('') : [...modifiers, keyLabel].join('+');
}
