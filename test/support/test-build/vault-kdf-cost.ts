/**
 * The command line's test build (dist-test/cli) uses this in place of
 * main/core/crypto/vault-kdf-cost.ts: scrypt at N = 2^12 instead of 2^17, so each of the
 * suites' command-line processes unlocks in milliseconds. Never part of a release build.
 */
export const VAULT_KDF_COST = { log2N: 12, r: 8, p: 1 } as const;
