import { describe, expect, it } from 'vitest';
import { runChild } from '../../../main/core/mfa-codes/child-run.js';

/** A program run for an MFA code (mfa_process, ykman) never sees AWS Auth Tray's own variables, the passphrase above all. */
describe('the environment of a program run for a code', () => {
  it('has the caller\'s variables but none of AWS_AUTH_TRAY_*', async () => {
    const run = await runChild('/usr/bin/env', [], {
      env: { PATH: process.env.PATH, AWS_AUTH_TRAY_PASSPHRASE: 'vault passphrase 42', AWS_AUTH_TRAY_HOME: '/tmp/x', YKMAN_OATH_CREDENTIAL_NAME: 'kept' },
      timeoutMs: 10_000,
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('YKMAN_OATH_CREDENTIAL_NAME=kept');
    expect(run.stdout).not.toContain('vault passphrase 42');
    expect(run.stdout).not.toContain('AWS_AUTH_TRAY_');
  });
});
