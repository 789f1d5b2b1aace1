import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appChannelPath, appChannelTokenPath } from '../../../main/core/endpoint/app-channel-location.js';
import { encodeAnswer } from '../../../main/core/endpoint/app-channel-frames.js';
import { startAppChannel } from '../../../main/core/endpoint/app-channel-server.js';
import { writePrivateFile } from '../../../main/core/endpoint/private-directory.js';
import { cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { createCore, importReferenceProfiles } from '../../support/core-harness.js';
import { useEmulator } from '../../support/emulator-harness.js';
import { referenceFixture } from '../../support/reference-fixture.js';

/**
 * Nobody else can pose as the app. An impostor's credentials and words must never reach the
 * user's stdout, and the app must never write through what another user planted:
 * - another local user pre-creates the channel directory in a shared TMPDIR (XDG_RUNTIME_DIR
 *   unset), listens on app.sock and writes app.token, or plants app.token as a symlink to a file
 *   of the victim's (run as root with a second uid, `setpriv` to nobody; skipped elsewhere);
 * - a program of the same user that cannot read the token answers on the socket (as any process
 *   can create a Windows named pipe first).
 */
const fixture = referenceFixture();
const ATTACKER_KEY = 'ASIAATTACKERATTACKER';
const ESCAPES = '\u001b]0;pwned\u0007\u001b[2J';

/** What the impostor answers to anything: its own credentials, with terminal escapes. */
const IMPOSTOR_SCRIPT = `
import { createServer } from 'node:http';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const [dir, plan, target] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
chmodSync(dir, 0o777);
if (plan === 'symlink') {
  symlinkSync(target, join(dir, 'app.token'));
  process.stdout.write('ready\\n');
} else {
  const body = JSON.stringify({ AccessKeyId: '${ATTACKER_KEY}', SecretAccessKey: 'attacker-secret', Token: 'attacker-token${JSON.stringify(ESCAPES).slice(1, -1)}', Expiration: '2099-01-01T00:00:00Z', Region: 'us-east-1',
    results: [{ profile: 'dev${JSON.stringify(ESCAPES).slice(1, -1)}', verdict: 'ok' }] });
  const server = createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); });
  server.listen(join(dir, 'app.sock'), () => {
    chmodSync(join(dir, 'app.sock'), 0o777);
    writeFileSync(join(dir, 'app.token'), 'attacker-token', { mode: 0o644 });
    process.stdout.write('ready\\n');
  });
}
`;

function noAttackerValue(text: string): void {
  expect(text).not.toContain(ATTACKER_KEY);
  expect(text).not.toContain('attacker-secret');
  expect(text).not.toContain('pwned');
  expect(text).not.toContain('\u001b');
}

const asRoot = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');
const rootSkip = asRoot ? undefined : process.getuid?.() !== 0 ? 'not running as root, so no second uid can be used' : 'setpriv (util-linux) is missing';
if (rootSkip) console.warn(`SKIP the second-user app channel tests: ${rootSkip}`);

describe.skipIf(rootSkip !== undefined)(`another local user plants the app channel in a shared TMPDIR${rootSkip ? ` (skipped: ${rootSkip})` : ''}`, () => {
  const emulator = useEmulator();
  let shared: string;
  let sandbox: CliSandbox;
  let attacker: ChildProcess | undefined;
  let channelDir: string;

  beforeEach(() => {
    // Like /tmp: anyone may create entries, nobody may remove another's.
    shared = mkdtempSync(join(tmpdir(), 'aat-shared-tmp-'));
    chmodSync(shared, 0o1777);
    // The attacker's tools, readable by nobody (the test's own Node lives under /root).
    copyFileSync(process.execPath, join(shared, 'node'));
    chmodSync(join(shared, 'node'), 0o755);
    writeFileSync(join(shared, 'impostor.mjs'), IMPOSTOR_SCRIPT, { mode: 0o644 });
    sandbox = cliSandbox(emulator().url);
    channelDir = join(shared, `aws-auth-tray-${String(process.getuid?.())}`);
  });
  afterEach(() => {
    attacker?.kill('SIGKILL');
    attacker = undefined;
    sandbox.cleanup();
    rmSync(shared, { recursive: true, force: true });
  });

  async function plant(plan: 'listen' | 'symlink', target = ''): Promise<void> {
    attacker = spawn('/usr/bin/setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', join(shared, 'node'), join(shared, 'impostor.mjs'), channelDir, plan, target], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    attacker.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    attacker.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    await expect.poll(() => out + err, { timeout: 10_000 }).toMatch(/ready|Error/);
    expect(err).toBe('');
  }

  /** The victim's command line with TMPDIR shared and no runtime directory: it looks in channelDir. */
  const victimEnv = (): Record<string, string | undefined> => ({ TMPDIR: shared, XDG_RUNTIME_DIR: undefined, AWS_AUTH_TRAY_APP_SOCKET: undefined });

  it('export, credential-process, exec and verify refuse the planted channel with a sentence; no attacker value reaches stdout', async () => {
    await plant('listen');
    expect(appChannelPath({ TMPDIR: shared }, 'linux')).toBe(join(channelDir, 'app.sock'));
    for (const args of [['export', 'dev'], ['credential-process', 'dev'], ['exec', 'dev', '--', 'env'], ['verify']]) {
      const out = await sandbox.run(args, { env: victimEnv() });
      noAttackerValue(out.stdout);
      noAttackerValue(out.stderr);
      expect(out.exitCode, args.join(' ')).not.toBe(0);
      expect(out.stderr, args.join(' ')).toContain(`aws-auth-tray: not asking the AWS Auth Tray app: Not using ${channelDir} belongs to another user (uid 65534, you are 0)`);
    }
  });

  it("the victim's app refuses to start its channel there, and writes nothing through a planted app.token symlink", async () => {
    const bashrc = join(sandbox.home, '.bashrc');
    writeFileSync(bashrc, 'echo my own bashrc\n');
    chmodSync(sandbox.home, 0o755); // so the symlink's target path can be named by nobody
    await plant('symlink', bashrc);
    const app = createCore(emulator(), fixture);
    try {
      const socket = appChannelPath({ TMPDIR: shared }, 'linux');
      await expect(startAppChannel({ sessions: app.sessions, requester: () => ({ kind: 'command-line', description: 'test' }) }, { socketPath: socket, tokenFile: appChannelTokenPath(socket, sandbox.home, 'linux') })).rejects.toMatchObject({
        code: 'untrusted-directory',
        message: expect.stringContaining('belongs to another user') as unknown,
      });
      expect(readFileSync(bashrc, 'utf8')).toBe('echo my own bashrc\n');
    } finally {
      await app.cleanup();
    }
  });
});

/** What an impostor answers to anything: its own credentials, with terminal escapes. */
const IMPOSTOR_ANSWER = JSON.stringify({ AccessKeyId: ATTACKER_KEY, SecretAccessKey: 'attacker-secret', Token: `t${ESCAPES}`, Expiration: '2099-01-01T00:00:00Z', Region: 'us-east-1' });

/** Impostors that cannot read the token: one speaking HTTP (as an older app channel did), one speaking the channel's own frames with a made-up proof. */
const IMPOSTORS: { name: string; start: (socket: string) => Server | NetServer; sentence: string }[] = [
  {
    name: 'an HTTP server',
    start: (socket) =>
      createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(IMPOSTOR_ANSWER);
      }).listen(socket),
    sentence: 'speaks HTTP, as earlier versions of AWS Auth Tray did, or it is another program',
  },
  {
    name: "a server speaking the app channel's frames with a proof it made up",
    start: (socket) =>
      createNetServer((connection) => {
        connection.on('error', () => undefined);
        connection.once('data', () => connection.end(encodeAnswer({ status: 200, proof: 'A'.repeat(43), body: Buffer.from(IMPOSTOR_ANSWER) })));
      }).listen(socket),
    sentence: 'cannot prove it is AWS Auth Tray',
  },
];

describe.each(IMPOSTORS)('a program that cannot read the token answers on the socket (same user, or a Windows pipe taken first): $name', ({ start, sentence }) => {
  const emulator = useEmulator();
  let sandbox: CliSandbox;
  let impostor: Server | NetServer;
  let socket: string;
  const home = mkdtempSync(join(tmpdir(), 'aat-impostor-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  beforeEach(async () => {
    sandbox = cliSandbox(emulator().url);
    const dir = join(sandbox.home, 'runtime', 'aws-auth-tray');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    socket = join(dir, 'app.sock');
    // The real token file is there (the app wrote it), but the listener does not know it.
    writePrivateFile(join(dir, 'app.token'), 'the-real-apps-token-0123456789abcdef');
    impostor = start(socket);
    await new Promise<void>((resolve) => impostor.once('listening', () => resolve()));
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => impostor.close(() => resolve()));
    sandbox.cleanup();
  });

  it('the command line refuses its answers with a sentence and uses its own vault; nothing of it reaches stdout', async () => {
    const app = createCore(emulator(), fixture);
    await importReferenceProfiles(app.vault);
    await app.cleanup();
    for (const args of [['export', 'dev'], ['credential-process', 'dev'], ['verify']]) {
      const out = await sandbox.run(args, { env: { AWS_AUTH_TRAY_APP_SOCKET: socket } });
      noAttackerValue(out.stdout);
      noAttackerValue(out.stderr);
      expect(out.stderr).toContain(`aws-auth-tray: not asking the AWS Auth Tray app: what answers on ${socket} ${sentence}`);
    }
  });
});
