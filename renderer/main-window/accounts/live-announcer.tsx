import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountRow } from '../../../main/ipc/ipc-contract';
import { runEndAnnouncement } from './announcements';

/**
 * A polite live region that speaks once per verification run, when it ends: the one account's
 * verdict, or the summary. The rows changing one by one during the run are not read out.
 */
export function useRunEndAnnouncement(rows: readonly AccountRow[], signedIn: boolean): string {
  const [text, setText] = useState('');
  const running = useRef(new Set<string>());
  useEffect(() => {
    const verifying = rows.filter((r) => r.verdict === 'verifying').map((r) => r.profile);
    for (const profile of verifying) running.current.add(profile);
    if (verifying.length === 0 && running.current.size > 0) {
      setText(runEndAnnouncement(running.current, rows, signedIn));
      running.current = new Set();
    }
  }, [rows, signedIn]);
  return text;
}

export function LiveAnnouncer({ text }: { text: string }) {
  return (
    <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="accounts-announcer">
      {text}
    </div>
  );
}
