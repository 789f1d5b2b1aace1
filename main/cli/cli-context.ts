import envPaths from 'env-paths';
import { PassphraseCipher } from '../core/crypto/passphrase-cipher.js';
import { SessionManager } from '../core/sessions/session-manager.js';
import type { MfaPrompter, Requester } from '../core/sessions/mfa-prompter.js';
import { SdkStsGateway } from '../core/sts/sts-gateway.js';
import { UserFacingError } from '../core/user-facing-error.js';
import { Vault, type CipherHeader } from '../core/vault/vault.js';
import { ask, openTerminal, TerminalAnswerCancelled } from './terminal.js';

/**
 * What every command shares: where the vault is, how it is unlocked (AWS_AUTH_TRAY_PASSPHRASE
 * or a hidden prompt on the terminal), the STS gateway and the session manager.
 */
export const PASSPHRASE_VARIABLE = 'AWS_AUTH_TRAY_PASSPHRASE';
export const HOME_VARIABLE = 'AWS_AUTH_TRAY_HOME';

export function defaultVaultDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[HOME_VARIABLE] || envPaths('aws-auth-tray', { suffix: '' }).config;
}

async function askPassphrase(header: CipherHeader | undefined): Promise<string> {
  const terminal = openTerminal();
  if (!terminal) {
    throw new UserFacingError(
      'passphrase-needed',
      `The vault is locked and there is no terminal to ask for its passphrase. Set ${PASSPHRASE_VARIABLE}, or run the command in a terminal.`,
    );
  }
  try {
    if (header) return await ask(terminal, 'Vault passphrase: ', { hidden: true });
    terminal.output.write('Creating a new vault. Its passphrase encrypts your access keys and sessions; it cannot be recovered.\n');
    for (;;) {
      const first = await ask(terminal, 'New vault passphrase: ', { hidden: true });
      if (first.length < 8) {
        terminal.output.write('Use at least 8 characters.\n');
        continue;
      }
      const again = await ask(terminal, 'Type it again: ', { hidden: true });
      if (again === first) return first;
      terminal.output.write('The two passphrases differ; try again.\n');
    }
  } catch (error) {
    if (error instanceof TerminalAnswerCancelled) throw new UserFacingError('passphrase-cancelled', 'Cancelled: the vault stays locked.');
    throw error;
  } finally {
    terminal.close();
  }
}

export class CliContext {
  readonly vaultDir: string;
  private vaultInstance: Vault | undefined;
  private gateway: SdkStsGateway | undefined;

  constructor(
    private readonly options: { vaultDir?: string | undefined; env: NodeJS.ProcessEnv; stderr: NodeJS.WritableStream },
  ) {
    this.vaultDir = options.vaultDir ?? defaultVaultDir(options.env);
  }

  get env(): NodeJS.ProcessEnv {
    return this.options.env;
  }

  warn(sentence: string): void {
    this.options.stderr.write(`aws-auth-tray: ${sentence}\n`);
  }

  vault(): Vault {
    if (!this.vaultInstance) {
      const fromEnv = this.options.env[PASSPHRASE_VARIABLE];
      const { vault, notice } = Vault.open(this.vaultDir, async (header) => new PassphraseCipher(fromEnv ?? (await askPassphrase(header)), header?.salt));
      if (notice) this.warn(notice);
      this.vaultInstance = vault;
    }
    return this.vaultInstance;
  }

  /** Unlock now (asking up to three times at a terminal), so a wrong passphrase fails early. */
  async unlock(): Promise<Vault> {
    const vault = this.vault();
    const interactive = this.options.env[PASSPHRASE_VARIABLE] === undefined;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await vault.verifyKey();
        return vault;
      } catch (error) {
        if (!(error instanceof UserFacingError) || error.code !== 'wrong-passphrase' || !interactive || attempt >= 3) throw error;
        this.warn(error.message);
      }
    }
  }

  /** Write any session saved during the command before the process exits. */
  async flush(): Promise<void> {
    await this.vaultInstance?.flush();
  }

  sts(): SdkStsGateway {
    this.gateway ??= new SdkStsGateway({ env: this.options.env });
    return this.gateway;
  }

  sessions(prompter: MfaPrompter): SessionManager {
    return new SessionManager({ vault: this.vault(), sts: this.sts(), prompter });
  }

  requester(description: string): Requester {
    return { kind: 'command-line', description };
  }
}
