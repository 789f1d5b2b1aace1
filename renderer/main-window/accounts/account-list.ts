import type { AccountRow, ProfileView } from '../../../main/ipc/ipc-contract.js';

/**
 * The accounts table's rows as the user asked to see them: searched, sorted, accounts needing
 * attention first, favourites pinned on top, grouped. Pure functions of the app state and the
 * user's choices, so they are tested without a browser and cost one pass per keystroke.
 */

export type SortKey = 'name' | 'account' | 'status' | 'expiry';
export type Grouping = 'none' | 'identity' | 'group';

export const SORT_OPTIONS: readonly { value: SortKey; label: string }[] = [
  { value: 'name', label: 'Name' },
  { value: 'account', label: 'Account' },
  { value: 'status', label: 'Status' },
  { value: 'expiry', label: 'Expiry' },
];

export const GROUPING_OPTIONS: readonly { value: Grouping; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'identity', label: 'Identity' },
  { value: 'group', label: 'Group' },
];

export interface ListOptions {
  query: string;
  sort: SortKey;
  attentionFirst: boolean;
  grouping: Grouping;
}

export const DEFAULT_LIST_OPTIONS: ListOptions = { query: '', sort: 'name', attentionFirst: true, grouping: 'none' };

/** One row with what the table needs of its profile. */
export interface AccountEntry {
  row: AccountRow;
  profile: ProfileView | undefined;
  favourite: boolean;
  group: string | null;
  /** Lower-cased text the search looks in: profile, account ids and alias, role ARN and name, identity, group. */
  haystack: string;
}

export interface AccountSection {
  /** Stable key: `favourites`, `identity:<label>`, `group:<name>`, `ungrouped`, `all`. */
  key: string;
  /** The heading shown above the section; null for the one unnamed section (no grouping, no favourites). */
  label: string | null;
  entries: AccountEntry[];
}

export function needsAttention(row: AccountRow): boolean {
  return row.verdict === 'error' || row.verdict === 'mismatch';
}

/** The role's name from its ARN (`platform/deployer` → `deployer`), for search. */
function roleName(arn: string | null): string {
  if (!arn) return '';
  const resource = arn.split(':').slice(5).join(':');
  return resource.split('/').at(-1) ?? '';
}

/** Builds the entries once per state (not per keystroke). */
export function accountEntries(rows: readonly AccountRow[], profiles: readonly ProfileView[]): AccountEntry[] {
  const byName = new Map(profiles.map((p) => [p.name, p]));
  return rows.map((row) => {
    const profile = byName.get(row.profile);
    const group = profile?.group ?? null;
    const haystack = [
      row.profile,
      row.account,
      row.expectedAccount,
      row.accountAlias,
      profile?.roleArn,
      roleName(profile?.roleArn ?? null),
      row.arn,
      row.expectedArn,
      row.identity,
      group,
    ]
      .filter((part): part is string => typeof part === 'string' && part.length > 0)
      .join('\n')
      .toLowerCase();
    return { row, profile, favourite: profile?.favourite === true, group, haystack };
  });
}

/** Every word of the query must appear somewhere (profile, account id or alias, role, identity, group). */
export function matchesQuery(entry: AccountEntry, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return words.every((word) => entry.haystack.includes(word));
}

const STATUS_ORDER: Record<AccountRow['verdict'], number> = { error: 0, mismatch: 1, verifying: 2, unverified: 3, ok: 4 };

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareBy(sort: SortKey): (a: AccountEntry, b: AccountEntry) => number {
  const byName = (a: AccountEntry, b: AccountEntry): number => collator.compare(a.row.profile, b.row.profile);
  switch (sort) {
    case 'name':
      return byName;
    case 'account':
      return (a, b) => collator.compare(a.row.account ?? a.row.expectedAccount ?? '~', b.row.account ?? b.row.expectedAccount ?? '~') || byName(a, b);
    case 'status':
      return (a, b) => STATUS_ORDER[a.row.verdict] - STATUS_ORDER[b.row.verdict] || byName(a, b);
    case 'expiry': {
      // Soonest first; accounts without credentials last.
      const at = (e: AccountEntry): number => (e.row.expiresAt ? Date.parse(e.row.expiresAt) : Number.POSITIVE_INFINITY);
      return (a, b) => at(a) - at(b) || byName(a, b);
    }
  }
}

/** Searched and sorted: favourites first, then (when asked) accounts needing attention, then the sort. */
export function arrangeAccounts(entries: readonly AccountEntry[], options: Pick<ListOptions, 'query' | 'sort' | 'attentionFirst'>): AccountEntry[] {
  const compare = compareBy(options.sort);
  const query = options.query.trim();
  const found = query ? entries.filter((e) => matchesQuery(e, query)) : [...entries];
  return found.sort((a, b) => {
    if (a.favourite !== b.favourite) return a.favourite ? -1 : 1;
    if (options.attentionFirst) {
      const attention = Number(needsAttention(b.row)) - Number(needsAttention(a.row));
      if (attention !== 0) return attention;
    }
    return compare(a, b);
  });
}

/**
 * The arranged entries in sections: favourites pinned in their own section on top (when there
 * are any), then one section per identity or group (in name order, "No group" last), or one
 * unnamed section without grouping. The order inside each section is kept.
 */
export function sectionAccounts(arranged: readonly AccountEntry[], grouping: Grouping): AccountSection[] {
  const favourites = arranged.filter((e) => e.favourite);
  const rest = arranged.filter((e) => !e.favourite);
  const sections: AccountSection[] = [];
  if (favourites.length > 0) sections.push({ key: 'favourites', label: 'Favourites', entries: favourites });
  if (grouping === 'none') {
    if (rest.length > 0) sections.push({ key: 'all', label: favourites.length > 0 ? 'All other accounts' : null, entries: rest });
    return sections;
  }
  const buckets = new Map<string, AccountEntry[]>();
  for (const entry of rest) {
    const name = grouping === 'identity' ? entry.row.identity || null : entry.group;
    const key = name === null ? 'ungrouped' : `${grouping}:${name}`;
    const bucket = buckets.get(key);
    if (bucket) bucket.push(entry);
    else buckets.set(key, [entry]);
  }
  const named = [...buckets.entries()].filter(([key]) => key !== 'ungrouped').sort(([a], [b]) => collator.compare(a, b));
  for (const [key, bucket] of named) {
    const name = key.slice(key.indexOf(':') + 1);
    sections.push({ key, label: grouping === 'identity' ? `Identity ${name}` : name, entries: bucket });
  }
  const ungrouped = buckets.get('ungrouped');
  if (ungrouped) sections.push({ key: 'ungrouped', label: grouping === 'identity' ? 'No identity' : 'No group', entries: ungrouped });
  return sections;
}

/** "3 need attention" etc.: the table's summary line, also announced when a verify run ends. */
export function summaryText(rows: readonly AccountRow[], context: { verifying: boolean; signedIn: boolean }): string {
  const total = rows.length;
  const accounts = `${total} account${total === 1 ? '' : 's'}`;
  const verified = rows.filter((r) => r.verdict === 'ok').length;
  const failing = rows.filter(needsAttention).length;
  if (context.verifying) return `${accounts} · checking each one with sts get-caller-identity…`;
  const counts = [verified > 0 ? `${verified} verified` : '', failing > 0 ? `${failing} need${failing === 1 ? 's' : ''} attention` : ''].filter(Boolean);
  if (counts.length > 0) return [accounts, ...counts].join(' · ');
  return context.signedIn ? `${accounts} · not verified yet: choose Verify all` : `${accounts} · sign in to verify each one with sts get-caller-identity`;
}
