/**
 * What the command line needs to work without the app: the vault (and with it the schema
 * library and the settings store), the passphrase cipher, the session manager and the STS
 * gateway. CliContext imports this module only when a command uses its own vault, so a command
 * the running app answers never loads any of it (see command-registry.ts). For credentials
 * (credential_process, exec, export) with the passphrase in the environment, it loads while the
 * vault key is derived in the thread pool (cli-context.ts openVault): its load costs CPU but,
 * with a core to spare, no wait. The AWS SDK is not part of it (sts-gateway.ts loads it on the
 * first STS call).
 */
export { PassphraseCipher } from '../core/crypto/passphrase-cipher.js';
export { SessionManager } from '../core/sessions/session-manager.js';
export { SdkStsGateway } from '../core/sts/sts-gateway.js';
export { Vault } from '../core/vault/vault.js';
