import { useEffect, useState } from 'preact/hooks';

/** The current time, re-read every `everyMs` (relative times such as "in 59 min" stay fresh). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
