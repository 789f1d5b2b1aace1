/**
 * What the command line needs to work without the app: the vault (and with it the schema
 * library and the settings store), the passphrase cipher, the session manager and the STS
 * gateway. CliContext imports this module only when a command uses its own vault, so a command
 * the running app answers never loads any of it (see command-registry.ts).
 */
export { PassphraseCipher } from '../core/crypto/passphrase-cipher.js';
export { SessionManager } from '../core/sessions/session-manager.js';
export { SdkStsGateway } from '../core/sts/sts-gateway.js';
export { Vault } from '../core/vault/vault.js';
