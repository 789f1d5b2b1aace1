import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassphraseCipher } from '../../main/core/crypto/passphrase-cipher.js';
import { AccountAliasLookup } from '../../main/core/iam/account-alias-lookup.js';
import { SdkAccountAliasReader } from '../../main/core/iam/account-alias-reader.js';
import { applyConfigImport } from '../../main/core/profiles/apply-config-import.js';
import { importAwsConfig, readCredentialsProfile } from '../../main/core/profiles/aws-config-import.js';
import type { MfaPromptRequest, MfaPrompter } from '../../main/core/sessions/mfa-prompter.js';
import { SessionManager } from '../../main/core/sessions/session-manager.js';
import { SdkStsGateway } from '../../main/core/sts/sts-gateway.js';
import { Vault } from '../../main/core/vault/vault.js';
import type { Fixture } from '../sts-emulator/fixture.js';
import { totpCode } from '../sts-emulator/mfa-verifier.js';
import type { StsEmulator } from '../sts-emulator/sts-emulator.js';

/**
 * The core wired to the STS emulator as the app and the command line wire it: a passphrase
 * vault in a temporary directory, the real SDK gateway pointed at the emulator, the emulator's
 * clock, and a prompter that answers with the code the fixture's device shows (and records
 * every prompt, so tests can count them).
 */

export const REFERENCE_AWS_CONFIG = new URL('../sts-emulator/fixtures/aws-config', import.meta.url).pathname;
export const REFERENCE_AWS_CREDENTIALS = new URL('../sts-emulator/fixtures/aws-credentials', import.meta.url).pathname;
export const REFERENCE_PROFILES = ['security', 'dev', 'stage', 'prod', 'shared-services'] as const;

/** What `sts get-caller-identity` says for each reference profile once alice has signed in: the runbook's ARNs. */
export const EXPECTED_ARNS: Record<(typeof REFERENCE_PROFILES)[number], string> = {
  security: 'arn:aws:iam::111111111111:user/alice',
  dev: 'arn:aws:sts::222222222222:assumed-role/engineer/alice',
  stage: 'arn:aws:sts::333333333333:assumed-role/engineer/alice',
  prod: 'arn:aws:sts::444444444444:assumed-role/read-only/alice',
  'shared-services': 'arn:aws:sts::555555555555:assumed-role/deployer/alice',
};

/** Cheaper than production's 2^17 so suites stay fast; the envelope records it either way. */
export const TEST_SCRYPT = { log2N: 14, r: 8, p: 1 } as const;
export const TEST_PASSPHRASE = 'correct horse battery staple';

export class RecordingPrompter implements MfaPrompter {
  readonly prompts: MfaPromptRequest[] = [];
  /** What to answer; by default the current code of the device on the emulator's clock. */
  answer: (request: MfaPromptRequest) => string | Promise<string>;

  constructor(emulator: StsEmulator, fixture: Fixture) {
    this.answer = (request) => {
      const device = fixture.users.flatMap((u) => u.mfaDevices).find((d) => d.serialNumber === request.mfaSerial);
      if (!device) throw new Error(`No MFA device ${request.mfaSerial} in the fixture`);
      return totpCode(device, emulator.clock.now());
    };
  }

  prompt(request: MfaPromptRequest): Promise<string> {
    this.prompts.push(request);
    return Promise.resolve(this.answer(request));
  }
}

export interface CoreUnderTest {
  dir: string;
  vault: Vault;
  sts: SdkStsGateway;
  prompter: RecordingPrompter;
  sessions: SessionManager;
  /** With `accountAliases`: the app's alias learning, IAM at the emulator (verifyAccounts(core) uses it). */
  aliases?: AccountAliasLookup;
  /**
   * Writes what the vault holds back for its next write (the role sessions of the last 100 ms),
   * then removes the directory: a write left pending would make the directory again afterwards.
   */
  cleanup(): Promise<void>;
}

/**
 * This machine's clock as the core sees it: the emulator's time without the emulator's clock
 * offset (the offset models AWS's clock disagreeing with ours).
 */
export function callerClock(emulator: StsEmulator): { now(): Date } {
  return { now: () => new Date(emulator.clock.now().getTime() - emulator.clock.offsetMs) };
}

export function createCore(
  emulator: StsEmulator,
  fixture: Fixture,
  options: { dir?: string; maxAttempts?: number; deadlineMs?: number; accountAliases?: boolean } = {},
): CoreUnderTest {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'aws-auth-tray-core-'));
  const clock = callerClock(emulator);
  const { vault } = Vault.open(dir, (header) => new PassphraseCipher(TEST_PASSPHRASE, header?.salt, TEST_SCRYPT), clock);
  const sts = new SdkStsGateway({ endpoint: emulator.url, maxAttempts: options.maxAttempts, deadlineMs: options.deadlineMs });
  const prompter = new RecordingPrompter(emulator, fixture);
  const sessions = new SessionManager({ vault, sts, prompter, clock });
  const core: CoreUnderTest = { dir, vault, sts, prompter, sessions, cleanup: async () => {
      await vault.flush().catch(() => undefined); // a test may have made the vault unwritable on purpose
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.accountAliases) {
    const reader = new SdkAccountAliasReader({ endpoint: emulator.url, deadlineMs: options.deadlineMs, clockOffsetMs: () => sts.clockOffsetMs });
    core.aliases = new AccountAliasLookup({ vault, reader });
  }
  return core;
}

/** alice's world: the reference AWS config imported, her keys taken from the credentials file. */
export async function importReferenceProfiles(vault: Vault): Promise<void> {
  const result = await applyConfigImport(vault, await importAwsConfig({ configFile: REFERENCE_AWS_CONFIG, credentialsFile: REFERENCE_AWS_CREDENTIALS }));
  if (result.problems.length > 0) throw new Error(`The reference AWS config has problems: ${JSON.stringify(result.problems)}`);
  const security = vault.identity('security');
  if (!security) throw new Error('Importing the reference config made no "security" identity');
  await vault.updateIdentity(security.id, await readCredentialsProfile(REFERENCE_AWS_CREDENTIALS, 'security'));
}
