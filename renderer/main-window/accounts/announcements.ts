import type { AccountRow } from '../../../main/ipc/ipc-contract.js';
import { summaryText } from './account-list.js';

/**
 * What the polite live region says when a verification run ends: the one account's new verdict
 * when only one was checked, otherwise the table's summary. Nothing is said while rows change
 * one by one (a screen reader would read fifty lines).
 */

const VERDICT_WORDS: Record<AccountRow['verdict'], string> = {
  ok: 'verified',
  mismatch: 'mismatch',
  error: 'error',
  unverified: 'not verified',
  verifying: 'verifying',
};

export function verdictWords(verdict: AccountRow['verdict']): string {
  return VERDICT_WORDS[verdict] ?? verdict;
}

/**
 * @param verified the profiles checked by the run that just ended (those shown as verifying during it)
 * @param rows the rows now
 */
export function runEndAnnouncement(verified: ReadonlySet<string>, rows: readonly AccountRow[], signedIn: boolean): string {
  const checked = rows.filter((r) => verified.has(r.profile));
  const only = checked.length === 1 ? checked[0] : undefined;
  if (only && rows.length > 1) {
    return `${only.profile}: ${verdictWords(only.verdict)}${only.verdict === 'error' || only.verdict === 'mismatch' ? '. See its row for why.' : '.'}`;
  }
  return `Verification finished: ${summaryText(rows, { verifying: false, signedIn })}.`;
}
