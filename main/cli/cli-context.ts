import { agentCredentials, AppChannelClient } from '../core/endpoint/app-channel-client.js';
import { appChannelLocation } from '../core/endpoint/app-channel-location.js';
import type { SessionManager } from '../core/sessions/session-manager.js';
import type { MfaPrompter, Requester } from '../core/sessions/mfa-prompter.js';
import type { SdkStsGateway } from '../core/sts/sts-gateway.js';
import { UserFacingError } from '../core/user-facing-error.js';
import type { StartedVaultKey } from '../core/crypto/passphrase-cipher.js';
import type { CipherHeader, Vault } from '../core/vault/vault.js';
import type * as StandaloneEngineModule from './standalone-engine.js';

type StandaloneEngine = typeof StandaloneEngineModule;
import { ask, openTerminal, TerminalAnswerCancelled } from './terminal.js';
import { agentFallback } from './agent-fallback.js';
import { printable } from './terminal-text.js';
import { PASSPHRASE_VARIABLE, STANDALONE_VARIABLE, STS_DEADLINE_VARIABLE } from './cli-variables.js';
import { defaultVaultDir } from './vault-dir.js';

/**
 * What every command shares: where the vault is, how it is unlocked (AWS_AUTH_TRAY_PASSPHRASE
 * or a hidden prompt on the terminal), the STS gateway and the session manager.
 */
export { HOME_VARIABLE, PASSPHRASE_VARIABLE, STANDALONE_VARIABLE, STS_DEADLINE_VARIABLE } from './cli-variables.js';
const MAX_STS_DEADLINE_MS = 600_000;
/** Passphrases typed at the terminal before the command gives up (the sentence says "three"). */
const PASSPHRASE_TRIES = 3;

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

export { defaultVaultDir } from './vault-dir.js';

export interface CliContextOptions {
  vaultDir?: string | undefined;
  env: NodeJS.ProcessEnv;
  stderr: NodeJS.WritableStream;
  /** The vault key, its derivation started by main.ts before the command line loaded (early-vault-key.ts). */
  earlyKey?: StartedVaultKey | undefined;
}

/** A refused passphrase, in the words of how it was given (typed, or from the environment). */
export class PassphraseRefused extends UserFacingError {
  constructor(message: string) {
    super('wrong-passphrase', message);
  }
}

/** The deadline the environment sets for each user action's STS requests, if any; a sentence when it is not a number of milliseconds. */
export function stsDeadlineMs(env: NodeJS.ProcessEnv): number | undefined {
  const text = env[STS_DEADLINE_VARIABLE];
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 1 || ms > MAX_STS_DEADLINE_MS) {
    throw new UserFacingError(
      'sts-deadline-invalid',
      `${STS_DEADLINE_VARIABLE} is how long getting one profile's credentials may wait on STS, every request and retry included, in milliseconds (1 to ${MAX_STS_DEADLINE_MS}); '${text}' is not that. Fix or unset it.`,
    );
  }
  return ms;
}

async function askPassphrase(header: CipherHeader | undefined, vaultDir: string): Promise<string> {
  const terminal = openTerminal();
  if (!terminal) {
    throw new UserFacingError(
      'passphrase-needed',
      header
        ? `The vault is locked and there is no terminal to ask for its passphrase. Set ${PASSPHRASE_VARIABLE}, or run the command in a terminal.`
        : `There is no vault in ${vaultDir} yet. Creating one needs a passphrase, and there is no terminal to choose it on: set ${PASSPHRASE_VARIABLE} to the passphrase you want, or run the command in a terminal.`,
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
    private readonly options: CliContextOptions,
  ) {
    this.vaultDir = options.vaultDir ?? defaultVaultDir(options.env);
  }

  get env(): NodeJS.ProcessEnv {
    return this.options.env;
  }

  /** A sentence on stderr; whatever values it quotes cannot drive the terminal. */
  warn(sentence: string): void {
    this.options.stderr.write(`aws-auth-tray: ${printable(sentence)}\n`);
  }

  /** The standalone engine (vault, sessions, STS), loaded on first use: see standalone-engine.ts. */
  private engine(): Promise<StandaloneEngine> {
    return import('./standalone-engine.js');
  }

  /** This command line's own vault (opened, not unlocked: metadata needs no passphrase). */
  vault(): Promise<Vault> {
    return this.openVault(false);
  }

  /**
   * @param unlockNext the caller unlocks the vault right after opening it (credentialsFor): with
   *   the passphrase in the environment, the key derivation starts first, from the salt in the
   *   vault file, and the engine loads while scrypt runs in the thread pool (early-vault-key.ts),
   *   unless main.ts started it even earlier.
   */
  private async openVault(unlockNext: boolean): Promise<Vault> {
    if (!this.vaultInstance) {
      const fromEnv = this.options.env[PASSPHRASE_VARIABLE];
      const early = unlockNext && fromEnv ? (this.options.earlyKey ?? (await import('./early-vault-key.js')).startEarlyVaultKey(this.vaultDir, fromEnv)) : undefined;
      const { Vault, PassphraseCipher } = await this.engine();
      // The early key (derived from fromEnv) serves only the salt the opened, checked vault names: the cipher adopts it only then.
      const { vault, notice } = Vault.open(
        this.vaultDir,
        async (header) => new PassphraseCipher(fromEnv ?? (await askPassphrase(header, this.vaultDir)), header?.salt, undefined, early),
      );
      if (notice) this.warn(notice);
      this.vaultInstance ??= vault;
    }
    return this.vaultInstance;
  }

  /**
   * The vault's "wrong passphrase", said for how this command line got it: the variable is
   * wrong (typing again would not help), or a typed one was wrong and the command asks again,
   * or it will not ask again (then "type it again" would be a lie).
   */
  passphraseRefused(after: 'asking-again' | 'last-try' | 'only-try' = 'only-try'): PassphraseRefused {
    const path = this.vaultInstance?.path ?? this.vaultDir;
    if (this.options.env[PASSPHRASE_VARIABLE] !== undefined) {
      return new PassphraseRefused(`${PASSPHRASE_VARIABLE} does not unlock the vault ${path}. Set it to the vault's passphrase, or unset it to be asked on the terminal.`);
    }
    const lost = `a forgotten passphrase cannot be recovered (move ${path} aside and add your keys again)`;
    switch (after) {
      case 'asking-again':
        return new PassphraseRefused('That passphrase does not unlock the vault. Type it again.');
      case 'last-try':
        return new PassphraseRefused(`That passphrase does not unlock the vault either, so after three tries nothing was done. Run the command again to try once more; ${lost}.`);
      case 'only-try':
        return new PassphraseRefused(`That passphrase does not unlock the vault, so nothing was done. Run the command again to try once more; ${lost}.`);
    }
  }

  /**
   * Unlock now (asking up to three times at a terminal), so a wrong passphrase fails early. An
   * access key rotation a crash interrupted is then finished or rolled back, with a sentence
   * (commands/rotate.ts; loaded only when one is on record), unless the caller does it itself.
   */
  async unlock(options: { recoverRotations?: boolean } = {}): Promise<Vault> {
    const vault = await this.vault();
    const interactive = this.options.env[PASSPHRASE_VARIABLE] === undefined;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await vault.verifyKey();
        if (options.recoverRotations !== false && vault.interruptedRotations().length > 0) {
          await (await import('./commands/rotate.js')).recoverInterruptedRotations(this);
        }
        return vault;
      } catch (error) {
        if (!(error instanceof UserFacingError) || error.code !== 'wrong-passphrase') throw error;
        if (!interactive || attempt >= PASSPHRASE_TRIES) throw this.passphraseRefused('last-try');
        this.warn(this.passphraseRefused('asking-again').message);
      }
    }
  }

  /** Write any session saved during the command before the process exits. */
  async flush(): Promise<void> {
    await this.vaultInstance?.flush();
  }

  async sts(): Promise<SdkStsGateway> {
    if (!this.gateway) {
      const { SdkStsGateway } = await this.engine();
      this.gateway ??= new SdkStsGateway({ env: this.options.env, deadlineMs: stsDeadlineMs(this.options.env) });
    }
    return this.gateway;
  }

  async sessions(prompter: MfaPrompter): Promise<SessionManager> {
    const { SessionManager } = await this.engine();
    return new SessionManager({ vault: await this.vault(), sts: await this.sts(), prompter });
  }

  requester(description: string): Requester {
    return { kind: 'command-line', description };
  }

  /** The running app, if it listens for the command line (and AWS_AUTH_TRAY_STANDALONE is not set). */
  private appChannel(): Promise<AppChannelClient | undefined> {
    if (this.env[STANDALONE_VARIABLE] === '1') return Promise.resolve(undefined);
    this.channel ??= (() => {
      const { socketPath, tokenFile } = appChannelLocation(this.env);
      // Refused (another user's directory or token file): say so, then go on without the app.
      return Promise.resolve(AppChannelClient.connect(socketPath, tokenFile, (sentence) => this.warn(sentence)));
    })();
    return this.channel;
  }

  /**
   * Ask the agent (the app, or serve), if one answers. Undefined when there is none, or when it
   * went away during the request (said in a sentence): the caller then uses its own vault.
   */
  async askAgent<T>(ask: (agent: AppChannelClient) => Promise<T>): Promise<T | undefined> {
    const agent = await this.appChannel();
    if (!agent) return undefined;
    try {
      return await ask(agent);
    } catch (error) {
      const fallback = agentFallback(error);
      if (!fallback) throw error;
      this.channel = Promise.resolve(undefined);
      if (fallback.warning) this.warn(fallback.warning);
      return undefined;
    }
  }

  /**
   * A profile's credentials: from the running app when there is one (its MFA popup, its
   * keychain vault), else from this command line's vault (its terminal prompt).
   */
  async credentialsFor(profile: string, prompter: MfaPrompter, description: string): Promise<ResolvedCredentials> {
    const c = await this.askAgent((agent) => agent.credentials(profile));
    if (c) return { ...agentCredentials(c), source: 'app' };
    const vault = await this.openVault(true);
    if (vault.profiles().length === 0) {
      throw nothingToUse();
    }
    await this.unlock();
    const credentials = await (await this.sessions(prompter)).getCredentials(profile, { requester: this.requester(description) });
    return { ...credentials, source: 'standalone' };
  }
}

/** Neither an agent answered nor does the command line have profiles of its own: what to do. */
export function nothingToUse(): UserFacingError {
  return new UserFacingError(
    'nothing-to-use',
    'The AWS Auth Tray app is not running, and the command line has no profiles of its own. Start the app, or set up the command line with: aws-auth-tray import-config ~/.aws/config',
  );
}
