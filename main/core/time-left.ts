/**
 * How long until something ends, in the words every view uses: "11 h 58 min", "4 min", "less
 * than a minute"; and the compact form a menu bar has room for: "11h58m", "4m", "<1m".
 */

function parts(ms: number): { hours: number; minutes: number } {
  const total = Math.floor(Math.max(0, ms) / 60_000);
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}

export function timeLeft(ms: number): string {
  if (ms < 60_000) return 'less than a minute';
  const { hours, minutes } = parts(ms);
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

export function compactTimeLeft(ms: number): string {
  if (ms < 60_000) return '<1m';
  const { hours, minutes } = parts(ms);
  if (hours === 0) return `${minutes}m`;
  return `${hours}h${String(minutes).padStart(2, '0')}m`;
}
