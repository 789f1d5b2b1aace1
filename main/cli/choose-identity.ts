import { UserFacingError } from '../core/user-facing-error.js';
import type { IdentitySummary, Vault } from '../core/vault/vault.js';
import { UsageError } from './cli-errors.js';

/**
 * The identity a command acts on (login, rotate): the one named, else the only one, else
 * "default"; metadata only, so no passphrase yet. `option` is how the command names one
 * (--identity, --label); `none` the sentence when there is no identity at all.
 */
export function chooseIdentity(vault: Vault, label: string | undefined, option: string, none: string): IdentitySummary {
  const identities = vault.identities();
  if (identities.length === 0) throw new UserFacingError('no-identity', none);
  const labels = identities.map((i) => i.label).join(', ');
  if (label !== undefined) {
    const named = vault.identity(label);
    if (!named) throw new UsageError(`There is no identity "${label}"; the identities are: ${labels}.`);
    return named;
  }
  const chosen = identities.length === 1 ? identities[0] : vault.identity('default');
  if (!chosen) throw new UsageError(`There are ${identities.length} identities; say which with ${option}: ${labels}.`);
  return chosen;
}
