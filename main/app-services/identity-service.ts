import { homedir } from 'node:os';
import { join } from 'node:path';
import { applyConfigImport } from '../core/profiles/apply-config-import.js';
import { importAwsConfig } from '../core/profiles/aws-config-import.js';
import { longTermKeysReader } from '../core/profiles/long-term-keys.js';
import type { StsGateway } from '../core/sts/sts-gateway.js';
import { UserFacingError } from '../core/user-facing-error.js';
import type { IdentityInput, IdentitySavedView, ImportResultView } from '../ipc/ipc-contract.js';
import type { FileDialogPort } from './app-ports.js';
import type { SessionActivity } from './session-activity.js';
import type { ChangeSignal } from './state-feed.js';
import type { VaultAccess } from './vault-access.js';

/**
 * Identities (an IAM user's access key) and the profiles that use them: saving one (its keys
 * checked with AWS first), removing one with its profiles, and importing ~/.aws/config (with
 * the keys in ~/.aws/credentials when asked).
 */

export interface IdentityServiceDeps {
  vaultAccess: VaultAccess;
  sts: StsGateway;
  activity: SessionActivity;
  fileDialog: FileDialogPort;
  /** ~/.aws/config unless given (tests, demo mode). */
  awsConfigFile?: string | undefined;
  /** ~/.aws/credentials unless given (tests, demo mode). */
  awsCredentialsFile?: string | undefined;
  changes: ChangeSignal;
}

export class IdentityService {
  constructor(private readonly deps: IdentityServiceDeps) {}

  async save(input: IdentityInput): Promise<IdentitySavedView> {
    this.deps.vaultAccess.requireUnlocked();
    const vault = this.deps.vaultAccess.vault;
    const existing = input.id ? vault.identity(input.id) : undefined;
    if (input.id && !existing) throw new UserFacingError('identity-missing', 'That identity no longer exists; reload the window.');
    if (!existing && !input.secretAccessKey) throw new UserFacingError('secret-needed', 'Enter the secret access key that belongs to this access key id.');

    const keys =
      input.secretAccessKey !== undefined
        ? { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey }
        : existing && existing.accessKeyId === input.accessKeyId
          ? await vault.longTermKeys(existing.id)
          : undefined;
    if (!keys) throw new UserFacingError('secret-needed', 'A new access key id needs its secret access key too.');

    const who = await this.deps.sts.getCallerIdentity(keys, input.region);
    if (!who.arn.includes(':user/')) {
      throw new UserFacingError('not-a-user', `These keys belong to ${who.arn}, not an IAM user; use your IAM user's own access key.`);
    }
    const fields = {
      label: input.label,
      accessKeyId: keys.accessKeyId,
      ...(input.secretAccessKey !== undefined ? { secretAccessKey: input.secretAccessKey } : {}),
      region: input.region,
      ...(input.mfaSerial ? { mfaSerial: input.mfaSerial } : {}),
      // '' clears them on an edit; absent keeps them.
      ...(input.mfaProcess !== undefined && (existing || input.mfaProcess !== '') ? { mfaProcess: input.mfaProcess } : {}),
      ...(input.oathAccount !== undefined && (existing || input.oathAccount !== '') ? { oathAccount: input.oathAccount } : {}),
    };
    const saved = existing ? await vault.updateIdentity(existing.id, fields) : await vault.addIdentity(fields);
    if (!vault.profiles().some((p) => p.identityId === saved.id && !p.roleArn) && !vault.profile(saved.label)) {
      vault.upsertProfile({ name: saved.label, identityId: saved.id });
    }
    this.deps.changes.changed();
    return {
      identity: {
        id: saved.id,
        label: saved.label,
        accessKeyId: saved.accessKeyId ?? null,
        hasSecret: saved.hasSecret,
        mfaSerial: saved.mfaSerial ?? null,
        region: saved.region ?? null,
        mfaProcess: saved.mfaProcess ?? null,
        oathAccount: saved.oathAccount ?? null,
      },
      verifiedArn: who.arn,
    };
  }

  /** The identity goes with every profile that uses it, and their verification results. */
  remove(id: string): void {
    const vault = this.deps.vaultAccess.vault;
    for (const profile of vault.profiles().filter((p) => p.identityId === id)) {
      vault.removeProfile(profile.name);
      this.deps.activity.forget(profile.name);
    }
    vault.removeIdentity(id);
    this.deps.changes.changed();
  }

  get awsConfigFile(): string {
    return this.deps.awsConfigFile ?? join(homedir(), '.aws', 'config');
  }

  async chooseConfigFile(): Promise<string | null> {
    return this.deps.fileDialog.chooseConfigFile(this.awsConfigFile);
  }

  async importConfig(path: string | undefined, importKeys: boolean): Promise<ImportResultView> {
    this.deps.vaultAccess.requireUnlocked();
    const vault = this.deps.vaultAccess.vault;
    const configFile = path ?? this.awsConfigFile;
    const credentialsFile = this.deps.awsCredentialsFile ?? join(homedir(), '.aws', 'credentials');
    const imported = await importAwsConfig({ configFile, credentialsFile });
    // Keys (when asked for) go in with their identity, in the import's one write; they may be kept
    // in either file, as the AWS CLI allows.
    const keys = importKeys ? await longTermKeysReader({ configFile, credentialsFile }) : undefined;
    const result = await applyConfigImport(vault, imported, keys ? { keys } : {});
    const withKeys = result.keysImported;
    this.deps.changes.changed();
    return {
      path: configFile,
      profilesAdded: result.profilesAdded,
      profilesUpdated: result.profilesUpdated,
      identitiesCreated: result.identitiesCreated,
      identitiesWithoutKeys: result.identitiesWithoutKeys.filter((label) => !withKeys.includes(label)),
      problems: result.problems.map((p) => p.message),
    };
  }
}
