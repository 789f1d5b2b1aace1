import { describe, expect, it } from 'vitest';
import { callingShellFormat } from '../../../main/cli/calling-shell.js';

/** The export format follows the shell that runs the command, then $SHELL, then bash. */
const parent = (name: string | undefined) => ({ ppid: 1234, platform: 'linux' as const, name: () => name });

describe('callingShellFormat', () => {
  it.each([
    ['bash\n', 'bash'],
    ['zsh\n', 'zsh'],
    ['fish\n', 'fish'],
    ['pwsh\n', 'powershell'],
    ['-zsh', 'zsh'],
    ['/bin/zsh', 'zsh'],
    ['dash', 'bash'],
    ['pwsh.exe', 'powershell'],
  ] as const)('parent %j → %s, whatever $SHELL says', (name, format) => {
    expect(callingShellFormat({ SHELL: '/usr/bin/fish' }, parent(name))).toBe(name.startsWith('fish') ? 'fish' : format);
    expect(callingShellFormat({ SHELL: '/bin/bash' }, parent(name))).toBe(format);
  });

  it('a parent that is not a shell (npx, make) or cannot be told falls back to $SHELL, then bash', () => {
    expect(callingShellFormat({ SHELL: '/usr/bin/fish' }, parent('node'))).toBe('fish');
    expect(callingShellFormat({ SHELL: '/usr/bin/zsh' }, parent(undefined))).toBe('zsh');
    expect(callingShellFormat({}, parent('make'))).toBe('bash');
  });
});
