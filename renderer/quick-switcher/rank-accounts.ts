import type { AccountRow } from '../../main/ipc/ipc-contract.js';

/**
 * The quick switcher's order: the best few matches for a few typed letters, as a launcher ranks
 * (1Password's Quick Access, Spotlight): a profile that starts with what was typed first, then one
 * where a word of it starts there (`pay` finds `acme-payments-prod`), then the letters in order
 * anywhere in the name (`apprd` finds `acme-payments-prod`), then the account's alias (IAM's
 * name for it, e.g. `acme-prod-payments`), then the account id or the role. Ties
 * go to favourites, then to the shorter name, then alphabetically. Nothing typed: favourites first,
 * then accounts needing attention, then the rest by name.
 */

export interface SwitcherAccount {
  row: AccountRow;
  favourite: boolean;
  /** The role's name, when the profile assumes one. */
  roleName: string | null;
}

/** How well an account matches: lower is better. */
const Score = { Prefix: 0, WordStart: 1, Substring: 2, Subsequence: 3, Alias: 4, Account: 5, Role: 6 } as const;
type Score = (typeof Score)[keyof typeof Score];

function wordStarts(name: string, query: string): boolean {
  return name.split(/[-_./:@\s]+/).some((word) => word.startsWith(query));
}

/** The letters of `query`, in order, in `text` (not necessarily next to each other). */
function isSubsequence(query: string, text: string): boolean {
  let at = 0;
  for (const char of text) {
    if (char === query[at]) at += 1;
    if (at === query.length) return true;
  }
  return query.length === 0;
}

function score(account: SwitcherAccount, query: string): Score | undefined {
  const name = account.row.profile.toLowerCase();
  if (name.startsWith(query)) return Score.Prefix;
  if (wordStarts(name, query)) return Score.WordStart;
  if (name.includes(query)) return Score.Substring;
  if (isSubsequence(query, name)) return Score.Subsequence;
  if (account.row.accountAlias?.includes(query)) return Score.Alias;
  const digits = query.replace(/[\s-]/g, '');
  const accountId = account.row.account ?? account.row.expectedAccount;
  if (digits.length >= 3 && /^\d+$/.test(digits) && accountId?.includes(digits)) return Score.Account;
  if (account.roleName?.toLowerCase().includes(query)) return Score.Role;
  return undefined;
}

const needsAttention = (row: AccountRow): boolean => row.verdict === 'error' || row.verdict === 'mismatch';

export function rankAccounts(accounts: readonly SwitcherAccount[], typed: string, limit = 8): SwitcherAccount[] {
  const query = typed.trim().toLowerCase();
  const byName = (a: SwitcherAccount, b: SwitcherAccount): number => a.row.profile.localeCompare(b.row.profile);
  if (query === '') {
    const rank = (a: SwitcherAccount): number => (a.favourite ? 0 : needsAttention(a.row) ? 1 : 2);
    return [...accounts].sort((a, b) => rank(a) - rank(b) || byName(a, b)).slice(0, limit);
  }
  return accounts
    .flatMap((account) => {
      const s = score(account, query);
      return s === undefined ? [] : [{ account, s }];
    })
    .sort(
      (a, b) =>
        a.s - b.s ||
        Number(b.account.favourite) - Number(a.account.favourite) ||
        a.account.row.profile.length - b.account.row.profile.length ||
        byName(a.account, b.account),
    )
    .slice(0, limit)
    .map(({ account }) => account);
}
