import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFixtureFile } from '../test/sts-emulator/fixture.js';
import { startStsEmulator } from '../test/sts-emulator/sts-emulator.js';
import { buildApp } from './build-app.js';
import { ensureElectron } from './electron-binary.js';

/**
 * npm run demo: the local STS emulator with the reference-architecture fixture, and the app
 * pointed at it (its own demo vault), with the emulator's MFA code shown in the popup, labelled
 * demo only. Try everything without an AWS account: import test/sts-emulator/fixtures/aws-config
 * (the demo's default), sign in, verify, copy exports.
 */
const FIXTURES = new URL('../test/sts-emulator/fixtures/', import.meta.url).pathname;

const electron = await ensureElectron('npm run demo');

await buildApp();
const emulator = await startStsEmulator({ fixture: await loadFixtureFile(join(FIXTURES, 'reference-architecture.json')), port: 0 });
process.stdout.write(`STS emulator listening on ${emulator.url}\nStarting AWS Auth Tray in demo mode: import the demo profiles, then "Sign in with MFA…"; the popup shows the demo code.\n`);

const child = spawn(electron, ['.'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    AWS_AUTH_TRAY_DEMO: '1',
    AWS_ENDPOINT_URL_STS: emulator.url,
    AWS_AUTH_TRAY_DEMO_CONFIG: join(FIXTURES, 'aws-config'),
    AWS_AUTH_TRAY_DEMO_CREDENTIALS: join(FIXTURES, 'aws-credentials'),
    // A throwaway home for the demo's own settings and vault.
    XDG_CONFIG_HOME: process.env.AWS_AUTH_TRAY_DEMO_HOME ?? mkdtempSync(join(tmpdir(), 'aws-auth-tray-demo-')),
  },
});
const stop = (): void => {
  child.kill('SIGTERM');
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
child.on('exit', (code) => {
  void emulator.close().then(() => process.exit(code ?? 0));
});
