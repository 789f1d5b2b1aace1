import { describe, expect, it } from 'vitest';
import { rankAccounts, type SwitcherAccount } from '../../../renderer/quick-switcher/rank-accounts.js';
import { account } from '../app/app-state-fixtures.js';

/** The quick switcher's ranking: names first, then the account's alias, then account ids and roles. */

function switcherAccount(profile: string, expectedAccount: string, accountAlias?: string, roleName: string | null = 'engineer'): SwitcherAccount {
  return { row: account(profile, { expectedAccount, ...(accountAlias ? { accountAlias } : {}) }), favourite: false, roleName };
}

const accounts = [
  switcherAccount('acme-payments-prod', '200000000001', 'corp-ledger-live'),
  switcherAccount('acme-payments-staging', '200000000013', 'corp-ledger-test'),
  switcherAccount('ledger-tools', '200000000020'),
  switcherAccount('acme-search-dev', '200000000005'),
];
const ranked = (typed: string): string[] => rankAccounts(accounts, typed).map((a) => a.row.profile);

describe("the quick switcher's ranking by alias", () => {
  it("finds an account by its alias alone, case-insensitively", () => {
    expect(ranked('ledger-live')).toEqual(['acme-payments-prod']);
    expect(ranked('Corp-Ledger-Test')).toEqual(['acme-payments-staging']);
  });

  it('ranks a match in the name above a match in the alias', () => {
    expect(ranked('ledger')).toEqual(['ledger-tools', 'acme-payments-prod', 'acme-payments-staging']);
  });

  it('an account without an alias is found as before, and an alias does not match by scattered letters', () => {
    expect(ranked('search')).toEqual(['acme-search-dev']);
    expect(ranked('clv')).toEqual([]);
  });
});
