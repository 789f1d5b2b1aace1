/**
 * An AWS account alias as IAM defines it (the `accountAliasType` of IAM's service model): 3 to 63
 * lowercase letters, digits and single hyphens, starting and ending with a letter or digit.
 *
 * An alias is a value from the network (or from the vault file, which anyone with the user's
 * rights can edit) that later reaches the window and terminals: only a value of this shape is
 * ever stored or shown; anything else (control characters, markup, spaces, capitals) counts as
 * "no alias known".
 */
export const ACCOUNT_ALIAS = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

export function isAccountAlias(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ALIAS.test(value);
}

/** An AWS account id: twelve digits. */
export const ACCOUNT_ID = /^\d{12}$/;

/**
 * The alias in a ListAccountAliases answer: its one entry (an account has at most one alias)
 * when that is a valid alias, else undefined (none, several, or not an alias at all).
 */
export function aliasFromListing(aliases: readonly unknown[] | undefined): string | undefined {
  if (!aliases || aliases.length !== 1) return undefined;
  const [alias] = aliases;
  return isAccountAlias(alias) ? alias : undefined;
}
