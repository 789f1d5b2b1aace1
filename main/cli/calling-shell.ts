import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ExportFormat } from '../core/exports/credential-exports.js';

/**
 * The export format for the shell that runs this command. `eval "$(aws-auth-tray export dev)"`
 * typed in bash must get bash even when $SHELL (the login shell) is fish, so the parent process
 * is asked first, where the operating system tells its name cheaply (Linux: /proc; macOS: ps);
 * $SHELL is the fallback (Windows, or a parent that is not a shell: npx, make, an editor).
 */
const SHELL_FORMATS: Readonly<Record<string, ExportFormat>> = {
  bash: 'bash',
  sh: 'bash',
  dash: 'bash',
  ksh: 'bash',
  mksh: 'bash',
  zsh: 'zsh',
  fish: 'fish',
  pwsh: 'powershell',
  powershell: 'powershell',
  cmd: 'cmd',
};

/** `-zsh`, `/bin/zsh`, `pwsh.exe` → `zsh`, `zsh`, `pwsh`. */
function shellName(text: string): string {
  return (text.trim().split(/[\\/]/).at(-1) ?? '').replace(/^-/, '').replace(/\.exe$/i, '').toLowerCase();
}

export interface ParentProcess {
  ppid: number;
  platform: NodeJS.Platform;
  /** The parent's command name, or undefined where it cannot be told. */
  name?: (ppid: number, platform: NodeJS.Platform) => string | undefined;
}

function parentName(ppid: number, platform: NodeJS.Platform): string | undefined {
  try {
    if (platform === 'linux') return readFileSync(`/proc/${ppid}/comm`, 'utf8');
    if (platform === 'darwin') return execFileSync('/bin/ps', ['-o', 'comm=', '-p', String(ppid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2_000 });
  } catch {
    return undefined;
  }
  return undefined;
}

export function callingShellFormat(env: NodeJS.ProcessEnv, parent: ParentProcess = { ppid: process.ppid, platform: process.platform }): ExportFormat {
  const name = (parent.name ?? parentName)(parent.ppid, parent.platform);
  const fromParent = name === undefined ? undefined : SHELL_FORMATS[shellName(name)];
  if (fromParent) return fromParent;
  return SHELL_FORMATS[shellName(env.SHELL ?? '')] ?? 'bash';
}
