import { timeLeft } from '../core/time-left.js';
import { printable } from './terminal-text.js';

/**
 * A plain-text table for the terminal: padded columns, header underlined with dashes. Every cell
 * is made printable first, so no value can move the cursor or forge a row.
 */
export function table(headers: string[], cells: string[][]): string {
  const rows = cells.map((row) => row.map(printable));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/**
 * "in 11 h 58 min", "in 4 min", "in less than a minute", "expired 3 min ago": the time left in
 * the words the tray and the app use (whole minutes, rounded down, so every view shows the same).
 */
export function expiresIn(expiration: Date | string | undefined, now: Date): string {
  if (expiration === undefined) return '';
  const ms = new Date(expiration).getTime() - now.getTime();
  return ms > 0 ? `in ${timeLeft(ms)}` : `expired ${timeLeft(-ms)} ago`;
}
