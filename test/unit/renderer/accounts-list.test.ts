import { describe, expect, it } from 'vitest';
import type { AccountRow, ProfileView } from '../../../main/ipc/ipc-contract.js';
import { accountEntries, arrangeAccounts, matchesQuery, sectionAccounts, summaryText, type ListOptions } from '../../../renderer/main-window/accounts/account-list.js';
import { runEndAnnouncement } from '../../../renderer/main-window/accounts/announcements.js';
import { findRootCauses } from '../../../renderer/main-window/accounts/root-causes.js';
import { account } from '../app/app-state-fixtures.js';

/** The accounts table's pure logic: search, sort, attention first, favourites, grouping, root causes, announcements. */

function view(name: string, overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    name,
    identityId: 'id-1',
    roleArn: `arn:aws:iam::222222222222:role/${name.includes('deploy') ? 'platform/deployer' : 'engineer'}`,
    externalId: null,
    region: 'eu-west-1',
    mfaMode: 'mfa-session',
    durationSeconds: null,
    origin: 'aws-config',
    favourite: false,
    group: null,
    ...overrides,
  };
}

const rows: AccountRow[] = [
  account('acme-payments-prod', { expectedAccount: '200000000001', identity: 'security' }),
  account('acme-payments-staging', { expectedAccount: '200000000013', identity: 'security', verdict: 'ok', expiresAt: '2026-12-02T12:30:00.000Z' }),
  account('acme-data-platform-dev', { expectedAccount: '200000000026', identity: 'ops', verdict: 'error', reason: 'AWS STS is not answering.', errorCode: 'network' }),
  account('acme-deploy-tools', { expectedAccount: '200000000005', identity: 'ops', verdict: 'ok', expiresAt: '2026-12-02T12:10:00.000Z' }),
];
const profiles = [
  view('acme-payments-prod', { group: 'payments' }),
  view('acme-payments-staging', { group: 'payments', favourite: true }),
  view('acme-data-platform-dev', { group: 'Data' }),
  view('acme-deploy-tools'),
];
const entries = accountEntries(rows, profiles);
const options = (overrides: Partial<ListOptions> = {}): ListOptions => ({ query: '', sort: 'name', attentionFirst: true, grouping: 'none', ...overrides });
const names = (list: { row: AccountRow }[]): string[] => list.map((e) => e.row.profile);

describe('searching accounts', () => {
  it('matches profile names, account ids, role names, identities and groups, case-insensitively', () => {
    const find = (query: string): string[] => names(entries.filter((e) => matchesQuery(e, query)));
    expect(find('STAGING')).toEqual(['acme-payments-staging']);
    expect(find('200000000026')).toEqual(['acme-data-platform-dev']);
    expect(find('deployer')).toEqual(['acme-deploy-tools']);
    expect(find('ops')).toEqual(['acme-data-platform-dev', 'acme-deploy-tools']);
    expect(find('data')).toEqual(['acme-data-platform-dev']);
    expect(find('payments prod')).toEqual(['acme-payments-prod']);
    expect(find('nothing-like-it')).toEqual([]);
  });

  it("matches the account's alias (IAM's name for it), alone or with other words", () => {
    const withAlias = accountEntries(
      rows.map((r) => (r.profile === 'acme-payments-prod' ? { ...r, accountAlias: 'corp-ledger-live' } : r)),
      profiles,
    );
    const find = (query: string): string[] => names(withAlias.filter((e) => matchesQuery(e, query)));
    expect(find('ledger')).toEqual(['acme-payments-prod']);
    expect(find('CORP-LEDGER-LIVE')).toEqual(['acme-payments-prod']);
    expect(find('ledger payments')).toEqual(['acme-payments-prod']);
    // Without the alias, the same word finds nothing.
    expect(names(entries.filter((e) => matchesQuery(e, 'ledger')))).toEqual([]);
  });
});

describe('arranging accounts', () => {
  it('pins favourites, then puts accounts needing attention first, then sorts by name', () => {
    expect(names(arrangeAccounts(entries, options()))).toEqual(['acme-payments-staging', 'acme-data-platform-dev', 'acme-deploy-tools', 'acme-payments-prod']);
  });

  it('without attention first, the sort alone decides after the favourites', () => {
    expect(names(arrangeAccounts(entries, options({ attentionFirst: false })))).toEqual(['acme-payments-staging', 'acme-data-platform-dev', 'acme-deploy-tools', 'acme-payments-prod']);
    expect(names(arrangeAccounts(entries, options({ attentionFirst: false, sort: 'account' })))).toEqual(['acme-payments-staging', 'acme-payments-prod', 'acme-deploy-tools', 'acme-data-platform-dev']);
  });

  it('sorts by status (errors first) and by expiry (soonest first, none last)', () => {
    const noFavourites = accountEntries(
      rows,
      profiles.map((p) => ({ ...p, favourite: false })),
    );
    expect(names(arrangeAccounts(noFavourites, options({ attentionFirst: false, sort: 'status' })))).toEqual(['acme-data-platform-dev', 'acme-payments-prod', 'acme-deploy-tools', 'acme-payments-staging']);
    expect(names(arrangeAccounts(noFavourites, options({ attentionFirst: false, sort: 'expiry' })))).toEqual(['acme-deploy-tools', 'acme-payments-staging', 'acme-data-platform-dev', 'acme-payments-prod']);
  });

  it('searches before it sorts', () => {
    expect(names(arrangeAccounts(entries, options({ query: 'acme-payments' })))).toEqual(['acme-payments-staging', 'acme-payments-prod']);
  });
});

describe('sections', () => {
  const arranged = arrangeAccounts(entries, options());

  it('without grouping: favourites in their own section on top, then the rest', () => {
    expect(sectionAccounts(arranged, 'none').map((s) => [s.label, names(s.entries)])).toEqual([
      ['Favourites', ['acme-payments-staging']],
      ['All other accounts', ['acme-data-platform-dev', 'acme-deploy-tools', 'acme-payments-prod']],
    ]);
  });

  it('without favourites or grouping: one unnamed section', () => {
    const plain = arrangeAccounts(accountEntries(rows, []), options());
    expect(sectionAccounts(plain, 'none').map((s) => s.label)).toEqual([null]);
  });

  it('by identity and by group, in name order, the ungrouped last; the order inside is kept', () => {
    expect(sectionAccounts(arranged, 'identity').map((s) => [s.label, names(s.entries)])).toEqual([
      ['Favourites', ['acme-payments-staging']],
      ['Identity ops', ['acme-data-platform-dev', 'acme-deploy-tools']],
      ['Identity security', ['acme-payments-prod']],
    ]);
    expect(sectionAccounts(arranged, 'group').map((s) => [s.label, names(s.entries)])).toEqual([
      ['Favourites', ['acme-payments-staging']],
      ['Data', ['acme-data-platform-dev']],
      ['payments', ['acme-payments-prod']],
      ['No group', ['acme-deploy-tools']],
    ]);
  });
});

describe('root causes', () => {
  const keyFailure = (profile: string, identity: string): AccountRow =>
    account(profile, { identity, verdict: 'error', errorCode: 'InvalidClientTokenId', reason: `AWS does not know the access key of ${identity}. Create a new access key in IAM and update the identity.` });

  it("one identity's refused key on several rows is one cause, named once with the first row's sentence", () => {
    const { causes, causeOf } = findRootCauses([keyFailure('a', 'ops'), account('b'), keyFailure('c', 'ops'), keyFailure('d', 'ops')]);
    expect(causes).toEqual([
      {
        id: 'identity:ops:InvalidClientTokenId',
        title: 'AWS refuses the access key (identity ops)',
        sentence: 'AWS does not know the access key of ops. Create a new access key in IAM and update the identity.',
        code: 'InvalidClientTokenId',
        identity: 'ops',
        profiles: ['a', 'c', 'd'],
      },
    ]);
    expect([...causeOf.keys()]).toEqual(['a', 'c', 'd']);
  });

  it('two identities with refused keys are two causes; a network failure is one cause whatever the identity', () => {
    const network = (profile: string, identity: string): AccountRow => account(profile, { identity, verdict: 'error', errorCode: 'network', reason: 'AWS STS is not answering.' });
    const { causes } = findRootCauses([keyFailure('a', 'ops'), keyFailure('b', 'security'), keyFailure('c', 'ops'), keyFailure('d', 'security'), network('e', 'ops'), network('f', 'security')]);
    expect(causes.map((c) => [c.id, c.profiles])).toEqual([
      ['identity:ops:InvalidClientTokenId', ['a', 'c']],
      ['identity:security:InvalidClientTokenId', ['b', 'd']],
      ['machine:network', ['e', 'f']],
    ]);
  });

  it('a failure of one row only, a mismatch, or an error of its own kind (AccessDenied on one role) stays in its row', () => {
    const denied = (profile: string): AccountRow => account(profile, { verdict: 'error', errorCode: 'AccessDenied', reason: 'You may not assume the role.' });
    const { causes, causeOf } = findRootCauses([keyFailure('a', 'ops'), denied('b'), denied('c'), account('d', { verdict: 'mismatch', reason: 'Expected account 1, got 2.' })]);
    expect(causes).toEqual([]);
    expect(causeOf.size).toBe(0);
  });
});

describe('what the live region says', () => {
  it('the summary when a run over several accounts ends, the verdict when one account was verified', () => {
    expect(runEndAnnouncement(new Set(rows.map((r) => r.profile)), rows, true)).toBe('Verification finished: 4 accounts · 2 verified · 1 needs attention.');
    expect(runEndAnnouncement(new Set(['acme-deploy-tools']), rows, true)).toBe('acme-deploy-tools: verified.');
    expect(runEndAnnouncement(new Set(['acme-data-platform-dev']), rows, true)).toBe('acme-data-platform-dev: error. See its row for why.');
  });

  it('the summary line counts what needs attention', () => {
    expect(summaryText(rows, { verifying: false, signedIn: true })).toBe('4 accounts · 2 verified · 1 needs attention');
    expect(summaryText(rows, { verifying: true, signedIn: true })).toBe('4 accounts · checking each one with sts get-caller-identity…');
    expect(summaryText([account('dev')], { verifying: false, signedIn: false })).toBe('1 account · sign in to verify each one with sts get-caller-identity');
  });
});
