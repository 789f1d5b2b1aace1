import { describe, expect, it } from 'vitest';
import { SdkStsGateway } from '../../../main/core/sts/sts-gateway.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture, ROLES } from '../../support/reference-fixture.js';

/**
 * The gateway keeps the clients of recent credentials (one client assumes every role of a
 * sign-in with the MFA session). A kept client answers only for exactly its credentials: the
 * same access key id with another secret or session token gets a client of its own.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const keys = { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey };

describe('core: the STS gateway reuses a client only for the same credentials', () => {
  const emulator = useEmulator();

  it('a wrong secret under a known access key id is refused, after and before the right one', async () => {
    const gateway = new SdkStsGateway({ endpoint: emulator().url });
    try {
      expect((await gateway.getCallerIdentity(keys, 'us-east-1')).arn).toBe('arn:aws:iam::111111111111:user/alice');
      const wrong = { ...keys, secretAccessKey: `${keys.secretAccessKey.slice(0, -4)}XXXX` };
      const refused = await gateway.getCallerIdentity(wrong, 'us-east-1').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UserFacingError);
      expect((refused as UserFacingError).code).toBe('SignatureDoesNotMatch');
      // The right one still works (its client was not replaced by the wrong one's for good).
      expect((await gateway.getCallerIdentity(keys, 'us-east-1')).arn).toBe('arn:aws:iam::111111111111:user/alice');
    } finally {
      gateway.close();
    }
  });

  it('many roles assumed with one MFA session, concurrently, each get their own session', async () => {
    const gateway = new SdkStsGateway({ endpoint: emulator().url });
    try {
      const session = await gateway.getSessionToken(keys, { region: 'us-east-1', durationSeconds: 3600, serialNumber: alice.serialNumber, tokenCode: currentCode(emulator(), alice.seed) });
      const roles = [ROLES.dev, ROLES.stage, ROLES.prod, ROLES.dev, ROLES.stage];
      const assumed = await Promise.all(roles.map((roleArn, i) => gateway.assumeRole(session, { region: 'us-east-1', roleArn, roleSessionName: `alice-${i}`, durationSeconds: 900 })));
      expect(new Set(assumed.map((c) => c.accessKeyId)).size).toBe(roles.length);
      const who = await Promise.all(assumed.map((c) => gateway.getCallerIdentity(c, 'us-east-1')));
      expect(who.map((w) => w.arn.split('/').slice(1).join('/'))).toEqual(roles.map((r, i) => `${r.split('/').at(-1) ?? ''}/alice-${i}`));
    } finally {
      gateway.close();
    }
  });
});
