import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SdkIamGateway, type IamGateway, type IamTarget, type NewAccessKey } from '../../../main/core/iam/iam-gateway.js';
import type { MfaPrompter } from '../../../main/core/sessions/mfa-prompter.js';
import { SessionManager } from '../../../main/core/sessions/session-manager.js';
import { AccessKeyLimitError } from '../../../main/core/rotation/access-key-limit-error.js';
import { KeyRotation, type KeyRotationDeps, type RotationProgress, type RotationStep } from '../../../main/core/rotation/key-rotation.js';
import type { Sleeper } from '../../../main/core/rotation/key-proof.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import { verifyAccounts } from '../../../main/core/verification/verify-accounts.js';
import { VAULT_FILE_NAME } from '../../../main/core/vault/vault-file.js';
import { callerClock, createCore, importReferenceProfiles, type CoreUnderTest } from '../../support/core-harness.js';
import { useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * Rotating the identity's access key in the core, against the STS emulator's IAM: CreateAccessKey
 * with the MFA session, the new key proven with GetCallerIdentity (waiting out IAM's propagation
 * on the emulator's clock, never the wall clock), the old key deleted or deactivated; the two-key
 * limit said before anything is created; and a rotation interrupted after every step (the
 * afterStep hook stops it where a crash would) finished or rolled back by recover(), with the
 * vault's key accepted by AWS at every point.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const bob = identity(fixture, 'bob');
const ciReadonly = fixture.users.find((u) => u.name === 'ci-readonly') ?? expect.fail('no ci-readonly in the fixture');
const requester = { kind: 'test', description: 'key rotation test' } as const;
const STEPS: readonly RotationStep[] = ['signing-in', 'creating', 'storing', 'proving', 'retiring-old', 'done'];

/** An IamGateway that remembers every secret CreateAccessKey returned (to prove none leaks). */
class RecordingIam implements IamGateway {
  readonly createdSecrets: string[] = [];
  constructor(private readonly inner: SdkIamGateway) {}
  userName(target: IamTarget) {
    return this.inner.userName(target);
  }
  listAccessKeys(target: IamTarget, options?: { signal?: AbortSignal | undefined }) {
    return this.inner.listAccessKeys(target, options);
  }
  accessKeyLastUsed(target: IamTarget, id: string) {
    return this.inner.accessKeyLastUsed(target, id);
  }
  async createAccessKey(target: IamTarget, options?: { signal?: AbortSignal | undefined }): Promise<NewAccessKey> {
    const key = await this.inner.createAccessKey(target, options);
    this.createdSecrets.push(key.secretAccessKey);
    return key;
  }
  setAccessKeyStatus(target: IamTarget, id: string, status: 'Active' | 'Inactive', options?: { signal?: AbortSignal | undefined }) {
    return this.inner.setAccessKeyStatus(target, id, status, options);
  }
  deleteAccessKey(target: IamTarget, id: string, options?: { signal?: AbortSignal | undefined }) {
    return this.inner.deleteAccessKey(target, id, options);
  }
  listMfaDevices(target: IamTarget) {
    return this.inner.listMfaDevices(target);
  }
}

/** What a crash would be: the hook's error, which rotate() passes on untouched. */
class Crash extends Error {
  constructor(readonly step: RotationStep) {
    super(`crashed after ${step}`);
  }
}

describe('core: access key rotation', () => {
  const emulator = useEmulator();
  let core: CoreUnderTest;
  let sdkIam: SdkIamGateway;
  let iam: RecordingIam;
  const aliceUser = fixture.users.find((u) => u.name === 'alice') ?? expect.fail('no alice');
  const bobUser = fixture.users.find((u) => u.name === 'bob') ?? expect.fail('no bob');

  beforeEach(async () => {
    core = createCore(emulator(), fixture);
    await importReferenceProfiles(core.vault);
    sdkIam = new SdkIamGateway({ endpoint: emulator().url, clockOffsetMs: () => core.sts.clockOffsetMs });
    iam = new RecordingIam(sdkIam);
  });
  afterEach(async () => {
    sdkIam.close();
    await core.cleanup();
  });

  /** Waiting, as the emulator sees it: its clock moves, nobody sleeps. */
  const sleeps: number[] = [];
  const sleeper: Sleeper = (ms) => {
    sleeps.push(ms);
    emulator().clock.advance(ms);
    return Promise.resolve();
  };
  beforeEach(() => {
    sleeps.length = 0;
  });

  function rotation(extra: Partial<KeyRotationDeps> = {}): KeyRotation {
    return new KeyRotation({ vault: core.vault, sessions: core.sessions, sts: core.sts, iam, clock: callerClock(emulator()), sleep: sleeper, ...extra });
  }
  const security = () => core.vault.identity('security') ?? expect.fail('no security identity');
  const keysInIam = (user = aliceUser) => emulator().directory.accessKeysOf(user).map((k) => ({ id: k.accessKeyId, status: k.status }));
  const calls = (action: string, outcome?: string) => emulator().requests({ action, ...(outcome ? { outcome } : {}) }).length;
  /** GetCallerIdentity with the vault's long-term key: what AWS says of it now. */
  async function vaultKeyWorks(label = 'security'): Promise<string> {
    const id = core.vault.identity(label) ?? expect.fail(`no ${label}`);
    return (await core.sts.getCallerIdentity(await core.vault.longTermKeys(id.id), 'us-east-1')).arn;
  }
  async function refusedCode(keys: { accessKeyId: string; secretAccessKey: string }): Promise<string> {
    const error: unknown = await core.sts.getCallerIdentity(keys, 'us-east-1').then(
      () => expect.fail('AWS accepted the key'),
      (e: unknown) => e,
    );
    return error instanceof UserFacingError ? error.code : String(error);
  }
  async function addIdentity(label: string, keys: { accessKeyId: string; secretAccessKey: string }, mfaSerial?: string) {
    return core.vault.addIdentity({ label, ...keys, ...(mfaSerial ? { mfaSerial } : {}), region: 'us-east-1' });
  }

  it('as AWS does, the emulator keeps honouring sessions made with a key after the key is deactivated or deleted', async () => {
    const session = await core.sessions.mfaSession(security(), requester);
    emulator().setAccessKeyStatus(alice.accessKeyId, 'Inactive');
    expect((await core.sts.getCallerIdentity(session, 'us-east-1')).arn).toBe(alice.arn);
    emulator().directory.deleteAccessKey(alice.accessKeyId);
    expect((await core.sts.getCallerIdentity(session, 'us-east-1')).arn).toBe(alice.arn);
    expect(await refusedCode(alice)).toBe('InvalidClientTokenId');
  });

  it('rotates: a new key created with the MFA session, proven, adopted; the old key deleted and refused; sessions kept, so no second code', async () => {
    const progress: RotationProgress[] = [];
    const result = await rotation().rotate('security', { deactivateOldKey: false, requester, onProgress: (p) => progress.push(p) });

    expect(result).toMatchObject({ identityId: security().id, oldAccessKeyId: alice.accessKeyId, oldKey: 'deleted' });
    expect(result.newAccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(Math.abs((result.newKeyCreatedAt?.getTime() ?? 0) - emulator().clock.now().getTime())).toBeLessThan(1_000);
    expect(keysInIam()).toEqual([{ id: result.newAccessKeyId, status: 'Active' }]);
    expect(security()).toMatchObject({ accessKeyId: result.newAccessKeyId, accessKeyCreatedAt: result.newKeyCreatedAt?.toISOString() });
    expect(core.vault.interruptedRotations()).toEqual([]);
    expect(await vaultKeyWorks()).toBe(alice.arn);
    expect(await refusedCode(alice)).toBe('InvalidClientTokenId');
    expect([...new Set(progress.map((p) => p.step))]).toEqual(STEPS);
    expect(progress.at(-1)?.sentence).toBe(`Rotated: security now uses ${result.newAccessKeyId}, which AWS accepted; the old key ${alice.accessKeyId} was deleted.`);

    // The MFA session made with the old key still works: every account verifies without a code.
    const report = await verifyAccounts(core, { requester });
    expect(report.results.map((r) => r.verdict)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(core.prompter.prompts).toHaveLength(1);
    expect(calls('GetSessionToken', 'Success')).toBe(1);
    // And the next sign-in (after the session) uses the new key.
    emulator().clock.advance(30_000);
    await core.sessions.mfaSession(security(), requester, { renew: true });
    expect(core.prompter.prompts.at(-1)?.accessKeyId).toBe(result.newAccessKeyId);
  });

  it('deactivates the old key instead when asked: it stays in IAM, Inactive and refused; a second rotation then meets the two-key limit and, allowed to, deletes the inactive key first', async () => {
    const first = await rotation().rotate('security', { deactivateOldKey: true, requester });
    expect(first.oldKey).toBe('deactivated');
    expect(keysInIam()).toEqual([
      { id: alice.accessKeyId, status: 'Inactive' },
      { id: first.newAccessKeyId, status: 'Active' },
    ]);
    expect(await refusedCode(alice)).toBe('InvalidClientTokenId');
    expect(await vaultKeyWorks()).toBe(alice.arn);

    emulator().clock.advance(3 * 3600_000);
    const limit: unknown = await rotation().rotate('security', { deactivateOldKey: true, requester }).catch((e: unknown) => e);
    expect(limit).toBeInstanceOf(AccessKeyLimitError);
    expect((limit as AccessKeyLimitError).otherKey).toMatchObject({ accessKeyId: alice.accessKeyId, status: 'Inactive' });
    expect((limit as Error).message).toContain(`${first.newAccessKeyId}, the one this vault uses, and ${alice.accessKeyId}, inactive, created `);
    expect((limit as Error).message).toContain('aws-auth-tray rotate --delete-inactive');
    expect(calls('CreateAccessKey')).toBe(1);

    const second = await rotation().rotate('security', { deactivateOldKey: true, deleteInactiveKey: true, requester });
    expect(second).toMatchObject({ oldAccessKeyId: first.newAccessKeyId, oldKey: 'deactivated', deletedInactiveKeyId: alice.accessKeyId });
    expect(keysInIam()).toEqual([
      { id: first.newAccessKeyId, status: 'Inactive' },
      { id: second.newAccessKeyId, status: 'Active' },
    ]);
    expect(await vaultKeyWorks()).toBe(alice.arn);
    // Hours later, still the first MFA session: one code in all.
    expect(core.prompter.prompts).toHaveLength(1);
  });

  it('two keys already: says which other key exists, its status and age, and what to do, before creating anything', async () => {
    const bobIdentity = await addIdentity('bob', bob, bob.serialNumber);
    const error: unknown = await rotation().rotate('bob', { deactivateOldKey: false, requester }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessKeyLimitError);
    expect((error as UserFacingError).code).toBe('access-key-limit');
    const days = Math.floor((emulator().clock.now().getTime() - Date.parse('2025-03-02T10:00:00Z')) / (24 * 3600_000));
    expect((error as Error).message).toBe(
      `The IAM user bob (identity bob) already has two access keys, the most IAM allows, so there is no room for a new one: ${bob.accessKeyId}, the one this vault uses, and AKIA3VSLWU7KBOPPJQQZ, inactive, created ${days} days ago (2025-03-02). ` +
        'It is inactive, so nothing can be using it: delete it and rotate in one go (the app offers to; on the command line: aws-auth-tray rotate --delete-inactive), or delete it in IAM yourself (aws iam delete-access-key --access-key-id AKIA3VSLWU7KBOPPJQQZ) and rotate again.',
    );
    expect(calls('CreateAccessKey')).toBe(0);
    expect(core.vault.interruptedRotations()).toEqual([]);

    // Allowed to, the inactive one goes first and the rotation goes through.
    const result = await rotation().rotate(bobIdentity.id, { deactivateOldKey: false, deleteInactiveKey: true, requester });
    expect(result.deletedInactiveKeyId).toBe('AKIA3VSLWU7KBOPPJQQZ');
    expect(keysInIam(bobUser)).toEqual([{ id: result.newAccessKeyId, status: 'Active' }]);
  });

  it('two keys, the other one active: it is never deleted, even when deleting an inactive key is allowed', async () => {
    const extra = emulator().directory.createAccessKey(aliceUser, new Date(emulator().clock.now().getTime() - 40 * 24 * 3600_000));
    const error: unknown = await rotation().rotate('security', { deactivateOldKey: false, deleteInactiveKey: true, requester }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessKeyLimitError);
    expect((error as Error).message).toContain(`and ${extra.accessKeyId}, active, created 40 days ago`);
    expect((error as Error).message).toContain('It is active, so something may still use it');
    expect((error as Error).message).not.toContain('--delete-inactive');
    expect(keysInIam().map((k) => k.id)).toEqual([alice.accessKeyId, extra.accessKeyId]);
  });

  it('waits out IAM propagation on the emulator clock, with growing waits, then adopts the key', async () => {
    emulator().setKeyPropagationDelay(10_000);
    const attempts: number[] = [];
    const result = await rotation().rotate('security', {
      deactivateOldKey: false,
      requester,
      onProgress: (p) => {
        if (p.step === 'proving' && p.attempt !== undefined) attempts.push(p.attempt);
      },
    });
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(sleeps).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(emulator().requests({ action: 'GetCallerIdentity', outcome: 'InvalidClientTokenId' })).toHaveLength(4);
    expect(keysInIam()).toEqual([{ id: result.newAccessKeyId, status: 'Active' }]);
    expect(await vaultKeyWorks()).toBe(alice.arn);
  });

  it('a new key AWS never accepts within the bound is deleted and the old key kept (rolled back)', async () => {
    emulator().setKeyPropagationDelay(3600_000);
    const error: unknown = await rotation().rotate('security', { deactivateOldKey: false, requester }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).code).toBe('rotation-new-key-not-valid');
    expect((error as Error).message).toMatch(
      new RegExp(`^AWS did not accept the new key (AKIA[A-Z2-7]{16}) within 60 seconds, so the rotation was rolled back: \\1 was deleted and security keeps ${alice.accessKeyId}, which still works\\.`),
    );
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(keysInIam()).toEqual([{ id: alice.accessKeyId, status: 'Active' }]);
    expect(security().accessKeyId).toBe(alice.accessKeyId);
    expect(core.vault.interruptedRotations()).toEqual([]);
    expect(calls('DeleteAccessKey', 'Success')).toBe(1);
    expect(await vaultKeyWorks()).toBe(alice.arn);
  });

  it('IAM refuses key changes without MFA: an identity without an MFA device is told to add one, and nothing is created', async () => {
    const ci = ciReadonly.accessKeys[0] ?? expect.fail('ci-readonly has no key');
    await addIdentity('ci', ci);
    const noDevice = await addIdentity('alice-without-device', alice);
    for (const label of ['ci', noDevice.label]) {
      const error: unknown = await rotation().rotate(label, { deactivateOldKey: false, requester }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserFacingError);
      expect((error as UserFacingError).code).toBe('rotation-needs-mfa-device');
      expect((error as Error).message).toBe(
        `IAM lets ${label} change its own access keys only when signed in with MFA, and the identity has no MFA device. Add your MFA device to the identity (the identity form in the app, or: aws-auth-tray add-user --replace --label ${label} --mfa-serial arn:aws:iam::<account>:mfa/<name>), then rotate again.`,
      );
    }
    expect(emulator().requests({ service: 'iam', action: 'ListAccessKeys' }).map((r) => r.outcome)).toEqual(['AccessDenied', 'AccessDenied']);
    expect(calls('CreateAccessKey')).toBe(0);
    expect(core.vault.interruptedRotations()).toEqual([]);
  });

  for (const step of STEPS) {
    it(`a rotation stopped after "${step}" leaves a working key in the vault, and recover() finishes or rolls it back`, async () => {
      const crashed: unknown = await rotation({
        afterStep: (s) => {
          if (s === step) throw new Crash(s);
        },
      })
        .rotate('security', { deactivateOldKey: false, requester })
        .catch((e: unknown) => e);
      expect(crashed).toBeInstanceOf(Crash);
      expect(await vaultKeyWorks()).toBe(alice.arn);

      const recovered = await rotation().recover({ requester });
      const keys = keysInIam();
      expect(keys).toHaveLength(1);
      expect(keys[0]?.id).toBe(security().accessKeyId);
      expect(await vaultKeyWorks()).toBe(alice.arn);
      expect(core.vault.interruptedRotations()).toEqual([]);
      const identityLabel = 'security';
      switch (step) {
        case 'signing-in':
        case 'done':
          expect(recovered).toEqual([]);
          break;
        case 'creating': {
          expect(recovered).toEqual([
            {
              identityId: security().id,
              identityLabel,
              outcome: 'rolled-back',
              sentence: expect.stringMatching(
                /^The access key rotation of security was interrupted just after IAM created AKIA[A-Z2-7]{16}, before its secret was saved; a key without its secret can never be used, so it was deleted\. security keeps AKIAWL6CCIORC6IWFMCG\.$/,
              ) as unknown,
            },
          ]);
          expect(calls('DeleteAccessKey', 'Success')).toBe(1);
          expect(security().accessKeyId).toBe(alice.accessKeyId);
          break;
        }
        case 'storing':
        case 'proving':
        case 'retiring-old':
          expect(recovered).toEqual([
            {
              identityId: security().id,
              identityLabel,
              outcome: 'finished',
              sentence: `The access key rotation of security that was interrupted is finished: security now uses ${security().accessKeyId}, which AWS accepted; the old key ${alice.accessKeyId} was deleted.`,
            },
          ]);
          expect(security().accessKeyId).not.toBe(alice.accessKeyId);
          expect(await refusedCode(alice)).toBe('InvalidClientTokenId');
      }
      // One code in all: the session made before the crash served the recovery.
      expect(core.prompter.prompts).toHaveLength(1);
      const report = await verifyAccounts(core, { requester });
      expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    });
  }

  it('stopped after "storing" with a new key AWS never accepts: recover() rolls back to the old key', async () => {
    emulator().setKeyPropagationDelay(3600_000);
    await rotation({
      afterStep: (s) => {
        if (s === 'storing') throw new Crash(s);
      },
    })
      .rotate('security', { deactivateOldKey: false, requester })
      .catch(() => undefined);
    const [recovered] = await rotation().recover({ requester });
    expect(recovered?.outcome).toBe('rolled-back');
    expect(recovered?.sentence).toMatch(/^AWS did not accept the new key AKIA\w+ within 60 seconds, so the rotation was rolled back/);
    expect(keysInIam()).toEqual([{ id: alice.accessKeyId, status: 'Active' }]);
    expect(await vaultKeyWorks()).toBe(alice.arn);
  });

  it('deactivating, stopped after "proving": recover() deactivates the old key as the rotation was asked to', async () => {
    await rotation({
      afterStep: (s) => {
        if (s === 'proving') throw new Crash(s);
      },
    })
      .rotate('security', { deactivateOldKey: true, requester })
      .catch(() => undefined);
    const [recovered] = await rotation().recover({ requester });
    expect(recovered?.outcome).toBe('finished');
    expect(recovered?.sentence).toContain(`the old key ${alice.accessKeyId} was deactivated and kept in IAM`);
    expect(keysInIam()).toEqual([
      { id: alice.accessKeyId, status: 'Inactive' },
      { id: security().accessKeyId ?? '', status: 'Active' },
    ]);
  });

  it('a rotation interrupted earlier is finished by the next rotate() instead of starting another', async () => {
    await rotation({
      afterStep: (s) => {
        if (s === 'storing') throw new Crash(s);
      },
    })
      .rotate('security', { deactivateOldKey: false, requester })
      .catch(() => undefined);
    const progress: string[] = [];
    const result = await rotation().rotate('security', { deactivateOldKey: false, requester, onProgress: (p) => progress.push(p.sentence) });
    expect(progress[0]).toBe('Finishing the access key rotation of security that was interrupted.');
    expect(calls('CreateAccessKey')).toBe(1);
    expect(keysInIam()).toEqual([{ id: result.newAccessKeyId, status: 'Active' }]);
    expect(security().accessKeyId).toBe(result.newAccessKeyId);
  });

  it('recovery that needs a code nobody can type is pending: the record stays, the vault key works, and a later recover() finishes it', async () => {
    await rotation({
      afterStep: (s) => {
        if (s === 'proving') throw new Crash(s);
      },
    })
      .rotate('security', { deactivateOldKey: false, requester })
      .catch(() => undefined);
    core.vault.clearSessions();
    const nobody: MfaPrompter = { prompt: () => Promise.reject(new UserFacingError('no-terminal', 'There is no terminal to ask for the MFA code.')) };
    const withoutCode = new SessionManager({ vault: core.vault, sts: core.sts, prompter: nobody, clock: callerClock(emulator()) });
    const [pending] = await rotation({ sessions: withoutCode }).recover({ requester });
    expect(pending).toEqual({
      identityId: security().id,
      identityLabel: 'security',
      outcome: 'pending',
      sentence: `The access key rotation of security that was interrupted could not be finished yet: There is no terminal to ask for the MFA code. security still has a working key (${security().accessKeyId ?? ''}); it is tried again at the next start, or finish it with: aws-auth-tray rotate --label security`,
    });
    expect(core.vault.interruptedRotations()).toEqual([security().id]);
    expect(await vaultKeyWorks()).toBe(alice.arn);
    expect(keysInIam()).toHaveLength(2);

    emulator().clock.advance(30_000);
    const [finished] = await rotation().recover({ requester });
    expect(finished?.outcome).toBe('finished');
    expect(keysInIam()).toEqual([{ id: security().accessKeyId ?? '', status: 'Active' }]);
  });

  it('an interrupted rotation whose identity got its old key back by hand is forgotten, never retiring the key the vault uses', async () => {
    await rotation({
      afterStep: (s) => {
        if (s === 'proving') throw new Crash(s);
      },
    })
      .rotate('security', { deactivateOldKey: false, requester })
      .catch(() => undefined);
    const newKey = security().accessKeyId ?? '';
    await core.vault.updateIdentity(security().id, { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey });
    const [recovered] = await rotation().recover({ requester });
    expect(recovered?.outcome).toBe('rolled-back');
    expect(recovered?.sentence).toContain('has been replaced by hand since');
    expect(keysInIam().map((k) => k.id)).toEqual([alice.accessKeyId, newKey]);
    expect(await vaultKeyWorks()).toBe(alice.arn);
  });

  it('one rotation of an identity at a time', async () => {
    const keyRotation = rotation();
    const first = keyRotation.rotate('security', { deactivateOldKey: false, requester });
    const second: unknown = await keyRotation.rotate('security', { deactivateOldKey: false, requester }).catch((e: unknown) => e);
    expect((second as UserFacingError).code).toBe('rotation-running');
    await first;
    expect(calls('CreateAccessKey')).toBe(1);
  });

  it('a key IAM made before an interrupted rotation started is never deleted by the recovery, only named', async () => {
    const before = emulator().directory.createAccessKey(aliceUser, new Date(emulator().clock.now().getTime() - 3 * 24 * 3600_000));
    core.vault.beginRotation(security().id, { oldAccessKeyId: alice.accessKeyId, keysBefore: [alice.accessKeyId], deactivateOldKey: false });
    const [recovered] = await rotation().recover({ requester });
    expect(recovered?.outcome).toBe('rolled-back');
    expect(recovered?.sentence).toBe(
      `The access key rotation of security was interrupted before IAM created a new key; nothing changed: security keeps ${alice.accessKeyId}. ` +
        `IAM also lists ${before.accessKeyId} (active, created 3 days ago (${before.createDate.toISOString().slice(0, 10)})), which this rotation did not make, so it was left alone: delete it in IAM if you do not use it.`,
    );
    expect(keysInIam().map((k) => k.id)).toEqual([alice.accessKeyId, before.accessKeyId]);
  });

  it('no secret reaches an error, a progress sentence or the vault file in clear', async () => {
    const said: string[] = [];
    const onProgress = (p: RotationProgress) => said.push(p.sentence);
    const errorText = (e: unknown) => (e instanceof Error ? `${e.message} ${String(e.cause instanceof Error ? e.cause.message : '')}` : String(e));

    await rotation().rotate('security', { deactivateOldKey: true, requester, onProgress });
    emulator().setKeyPropagationDelay(3600_000);
    said.push(errorText(await rotation().rotate('security', { deactivateOldKey: false, deleteInactiveKey: true, requester, onProgress }).catch((e: unknown) => e)));
    emulator().setKeyPropagationDelay(0);
    said.push(errorText(await rotation().rotate('security', { deactivateOldKey: false, requester, onProgress }).catch((e: unknown) => e)));
    await rotation({
      afterStep: (s) => {
        if (s === 'storing') throw new Crash(s);
      },
    })
      .rotate('security', { deactivateOldKey: false, deleteInactiveKey: true, requester, onProgress })
      .catch(() => undefined);
    const vaultFile = readFileSync(join(core.dir, VAULT_FILE_NAME), 'utf8');
    said.push(...(await rotation().recover({ requester })).map((r) => r.sentence));

    const secrets = [
      alice.secretAccessKey,
      ...iam.createdSecrets,
      ...emulator()
        .issued.all()
        .flatMap((c) => [c.secretAccessKey, c.sessionToken]),
    ];
    expect(iam.createdSecrets.length).toBeGreaterThanOrEqual(3);
    const everything = [...said, vaultFile, readFileSync(join(core.dir, VAULT_FILE_NAME), 'utf8')].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(said.join('\n')).toMatch(/AKIA[A-Z2-7]{16}/);
  });
});
