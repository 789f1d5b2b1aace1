import type { ShellChoice } from '../../main/ipc/ipc-contract';

/** The shells offered for "Copy export", in the contract's order, with the names people use. */
export const SHELLS: readonly { value: ShellChoice; label: string }[] = [
  { value: 'bash', label: 'bash' },
  { value: 'zsh', label: 'zsh' },
  { value: 'fish', label: 'fish' },
  { value: 'powershell', label: 'PowerShell' },
  { value: 'cmd', label: 'cmd' },
];

export function isShellChoice(value: string): value is ShellChoice {
  return SHELLS.some((s) => s.value === value);
}

/** "in 59 min", "in 11 h 58 min", "expired". */
export function expiresIn(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (Number.isNaN(ms)) return '';
  if (ms <= 0) return 'expired';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'in < 1 min';
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `in ${hours} h` : `in ${hours} h ${rest} min`;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "21:40", or "tomorrow 09:15" / "Fri 09:15" when it is not today. */
export function clockTime(iso: string, now: number): string {
  const when = new Date(iso);
  const time = when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const today = new Date(now);
  if (sameDay(when, today)) return time;
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  if (sameDay(when, tomorrow)) return `tomorrow ${time}`;
  return `${when.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

/** A full local date and time, for tooltips. */
export function fullTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Lets long ARNs wrap at their natural separators (after ':' and '/'). */
export function arnBreaks(arn: string): string[] {
  return arn.split(/(?<=[:/])/);
}
