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

/** "in 11 h 58 min", "in 4 min", "expired 3 min ago" */
export function expiresIn(expiration: Date | string | undefined, now: Date): string {
  if (expiration === undefined) return '';
  const ms = new Date(expiration).getTime() - now.getTime();
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const text = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return ms >= 0 ? `in ${text}` : `expired ${text} ago`;
}
