import envPaths from 'env-paths';
import { PassphraseCipher } from '../core/crypto/passphrase-cipher.js';
import { AppChannelClient } from '../core/endpoint/app-channel-client.js';
import { appChannelPath, appChannelTokenPath } from '../core/endpoint/app-channel-location.js';
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
/** Set to 1 to ignore a running app and use the command line's own vault. */
export const STANDALONE_VARIABLE = 'AWS_AUTH_TRAY_STANDALONE';

/** Credentials as every command needs them, from the app or from the command line's vault. */
export interface ResolvedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  region: string;
  /** Where they came from: the running app, or this command line's own vault. */
  source: 'app' | 'standalone';
}

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
  private channel: Promise<AppChannelClient | undefined> | undefined;

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

  /** The running app, if it listens for the command line (and AWS_AUTH_TRAY_STANDALONE is not set). */
  appChannel(): Promise<AppChannelClient | undefined> {
    if (this.env[STANDALONE_VARIABLE] === '1') return Promise.resolve(undefined);
    this.channel ??= (() => {
      const socket = appChannelPath(this.env);
      // Refused (another user's directory, an impostor on the socket): say so, then go on without the app.
      return AppChannelClient.connect(socket, appChannelTokenPath(socket, envPaths('aws-auth-tray', { suffix: '' }).config), (sentence) => this.warn(sentence));
    })();
    return this.channel;
  }

  /**
   * A profile's credentials: from the running app when there is one (its MFA popup, its
   * keychain vault), else from this command line's vault (its terminal prompt).
   */
  async credentialsFor(profile: string, prompter: MfaPrompter, description: string): Promise<ResolvedCredentials> {
    const app = await this.appChannel();
    if (app) {
      const c = await app.credentials(profile);
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.Token, expiration: new Date(c.Expiration), region: c.Region, source: 'app' };
    }
    const vault = this.vault();
    if (vault.profiles().length === 0) {
      throw new UserFacingError(
        'nothing-to-use',
        'The AWS Auth Tray app is not running, and the command line has no profiles of its own. Start the app, or set up the command line with: aws-auth-tray import-config ~/.aws/config',
      );
    }
    await this.unlock();
    const credentials = await this.sessions(prompter).getCredentials(profile, { requester: this.requester(description) });
    return { ...credentials, source: 'standalone' };
  }
}
