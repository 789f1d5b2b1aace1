/**
 * The cost of deriving the vault key from a passphrase: scrypt with N = 2^17, r = 8, p = 1
 * (128 MiB of memory, about a quarter of a second on a current laptop core), OWASP's
 * recommended minimum. Every release build uses exactly this.
 *
 * It has a file of its own for one reason: the command line's test build (scripts/build-cli.ts,
 * `variant: 'test'`, written to dist-test/, never shipped) swaps this module for a cheap cost, so
 * the hundreds of command-line processes the suites start do not each spend a second in scrypt.
 * A vault written by that build records its cost in every envelope and is refused by a release
 * build ("unsupported key-derivation parameters"); a test checks that the release bundle derives
 * with this cost.
 */
export const VAULT_KDF_COST = { log2N: 17, r: 8, p: 1 } as const;
