import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ageInDays, identityPartition, knownAccessKeyStatus, readAccessKeyStatus } from '../../../main/core/iam/access-key-status.js';
import type { AccessKeyInfo, AccessKeyLastUsed, IamGateway, IamTarget } from '../../../main/core/iam/iam-gateway.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import { Vault } from '../../../main/core/vault/vault.js';
import { TestKeychainCipher } from '../../harness/recording-ports.js';

/** The key's age, last use and other keys from IAM's answers (a scripted gateway), on a fixed clock. */
const NOW = new Date('2026-12-01T12:00:00Z');
const clock = { now: () => NOW };
const KEY = 'AKIAEXAMPLEKEY000001';
const OTHER = 'AKIAEXAMPLEKEY000002';
const SESSION = { accessKeyId: 'ASIAEXAMPLESESSION01', secretAccessKey: 'session-secret', sessionToken: 'token' };

function gateway(answers: { keys?: AccessKeyInfo[] | Error; lastUsed?: AccessKeyLastUsed | Error }): IamGateway & { targets: IamTarget[] } {
  const targets: IamTarget[] = [];
  const answer = <T>(value: T | Error | undefined): Promise<T> => (value instanceof Error ? Promise.reject(value) : value === undefined ? Promise.reject(new Error('not scripted')) : Promise.resolve(value));
  return {
    targets,
    userName: () => Promise.reject(new Error('not used')),
    listAccessKeys: (target) => (targets.push(target), answer(answers.keys)),
    accessKeyLastUsed: (target) => (targets.push(target), answer(answers.lastUsed)),
    createAccessKey: () => Promise.reject(new Error('not used')),
    setAccessKeyStatus: () => Promise.reject(new Error('not used')),
    deleteAccessKey: () => Promise.reject(new Error('not used')),
    listMfaDevices: () => Promise.reject(new Error('not used')),
  };
}

describe('access key status', () => {
  let dir: string;
  let vault: Vault;
  let id: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-key-status-'));
    const cipher = new TestKeychainCipher();
    vault = Vault.open(dir, () => cipher, clock).vault;
    id = (await vault.addIdentity({ label: 'security', accessKeyId: KEY, secretAccessKey: 'x'.repeat(40), mfaSerial: 'arn:aws-cn:iam::111111111111:mfa/alice', region: 'cn-north-1' })).id;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const identity = () => {
    const found = vault.identity(id);
    if (!found) throw new Error('no identity');
    return found;
  };

  it('ages are whole days on the clock, never negative', () => {
    expect(ageInDays(new Date('2026-09-02T12:00:00Z'), NOW)).toBe(90);
    expect(ageInDays(new Date('2026-09-02T12:00:01Z'), NOW)).toBe(89);
    expect(ageInDays(new Date('2026-12-02T00:00:00Z'), NOW)).toBe(0);
  });

  it('the partition comes from the MFA device, else the region, else aws', () => {
    expect(identityPartition({ mfaSerial: 'arn:aws-us-gov:iam::111111111111:mfa/a', region: 'us-east-1' })).toBe('aws-us-gov');
    expect(identityPartition({ mfaSerial: undefined, region: 'cn-northwest-1' })).toBe('aws-cn');
    expect(identityPartition({ mfaSerial: 'GAHT12345678', region: undefined })).toBe('aws');
  });

  it("IAM's answer: age, last use, the other key; the CreateDate is remembered; asked with the session in the identity's partition", async () => {
    const iam = gateway({
      keys: [
        { accessKeyId: OTHER, status: 'Inactive', createdAt: new Date('2025-01-01T00:00:00Z') },
        { accessKeyId: KEY, status: 'Active', createdAt: new Date('2026-08-01T12:00:00Z') },
      ],
      lastUsed: { lastUsedAt: new Date('2026-12-01T09:00:00Z'), serviceName: 'sts', region: 'cn-north-1' },
    });
    const status = await readAccessKeyStatus({ vault, iam, clock }, identity(), SESSION, { warnDays: 90 });
    expect(status).toEqual({
      identityId: id,
      accessKeyId: KEY,
      createdAt: new Date('2026-08-01T12:00:00Z'),
      ageDays: 122,
      lastUsed: { at: new Date('2026-12-01T09:00:00Z'), service: 'sts', region: 'cn-north-1' },
      otherKeys: [{ accessKeyId: OTHER, status: 'Inactive', createdAt: new Date('2025-01-01T00:00:00Z') }],
      old: true,
      fromIam: true,
      note: undefined,
    });
    expect(iam.targets.map((t) => [t.partition, t.credentials.accessKeyId])).toEqual([
      ['aws-cn', SESSION.accessKeyId],
      ['aws-cn', SESSION.accessKeyId],
    ]);
    expect(identity().accessKeyCreatedAt).toBe('2026-08-01T12:00:00.000Z');
    // Known without IAM afterwards: the remembered age, no last use.
    expect(knownAccessKeyStatus(identity(), NOW, 150)).toMatchObject({ ageDays: 122, old: false, lastUsed: undefined, otherKeys: undefined, fromIam: false });
  });

  it("IAM refusing (no MFA): what the vault knows, with IAM's sentence; nothing thrown", async () => {
    const refusal = new UserFacingError('iam-needs-mfa', 'IAM refused ListAccessKeys: your IAM policy lets you manage your own keys only when signed in with MFA. Sign in with your MFA code, then try again.');
    const status = await readAccessKeyStatus({ vault, iam: gateway({ keys: refusal }), clock }, identity(), SESSION, { warnDays: 90 });
    expect(status).toMatchObject({ accessKeyId: KEY, createdAt: undefined, ageDays: undefined, old: false, lastUsed: undefined, note: refusal.message, fromIam: false });
  });

  it('last use refused, the age still known; a stored key IAM does not list is said so', async () => {
    const lastUsedRefused = new UserFacingError('AccessDenied', 'Your IAM user may not call GetAccessKeyLastUsed.');
    const partial = await readAccessKeyStatus(
      { vault, iam: gateway({ keys: [{ accessKeyId: KEY, status: 'Active', createdAt: new Date('2026-11-01T12:00:00Z') }], lastUsed: lastUsedRefused }), clock },
      identity(),
      SESSION,
      { warnDays: 90 },
    );
    expect(partial).toMatchObject({ ageDays: 30, lastUsed: undefined, note: lastUsedRefused.message, otherKeys: [] });

    const gone = await readAccessKeyStatus({ vault, iam: gateway({ keys: [{ accessKeyId: OTHER, status: 'Active', createdAt: undefined }] }), clock }, identity(), SESSION, { warnDays: 90 });
    expect(gone?.note).toBe(`IAM does not list the stored access key ${KEY} among this user's keys: it was deleted, or it belongs to another user. Create a new access key in IAM and update the identity.`);
  });

  it('an unexpected failure (a bug, not IAM) is not hidden', async () => {
    await expect(readAccessKeyStatus({ vault, iam: gateway({ keys: new TypeError('boom') }), clock }, identity(), SESSION, { warnDays: 90 })).rejects.toThrow('boom');
  });
});
