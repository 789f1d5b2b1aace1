import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PassphraseCipher, SCRYPT_PARAMS } from '../main/core/crypto/passphrase-cipher.js';
import { appChannelTokenPath } from '../main/core/endpoint/app-channel-location.js';
import { startAppChannel } from '../main/core/endpoint/app-channel-server.js';
import { startCredentialEndpoint } from '../main/core/endpoint/credential-server.js';
import { profileToken } from '../main/core/endpoint/profile-token.js';
import type { MfaPrompter } from '../main/core/sessions/mfa-prompter.js';
import { SessionManager } from '../main/core/sessions/session-manager.js';
import { SdkStsGateway } from '../main/core/sts/sts-gateway.js';
import { Vault } from '../main/core/vault/vault.js';
import { verifyAccounts } from '../main/core/verification/verify-accounts.js';
import { buildCli } from '../scripts/build-cli.js';
import type { Fixture } from '../test/sts-emulator/fixture.js';
import { findAwsCliV2, isolatedAwsEnv } from '../test/support/aws-cli.js';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { AppHarness } from '../test/harness/app-harness.js';
import { findChromium, launchChromium } from '../test/harness/chromium.js';
import { startStsEmulator } from '../test/sts-emulator/sts-emulator.js';
import { manyAccounts, organisation, setUpManyAccounts } from '../test/support/many-accounts.js';
import { buildApp } from '../scripts/build-app.js';

/**
 * npm run bench [-- --latency-ms 50 --accounts 20 --rounds 3]
 *
 * 1. Sign-in to every account verified: from `login` with a valid code to GetCallerIdentity
 *    done in every account, the product's way (one MFA session, every account at once) and with
 *    concurrency 1, beside the floor of three round trips (GetSessionToken, AssumeRole,
 *    GetCallerIdentity), against the STS emulator with injected latency.
 * 2. A cached `credential-process` call: process start to JSON on stdout, beside `node -e 0`;
 *    standalone (its own vault: the passphrase key derivation, `kdfMs`, measured as a process that
 *    only derives the key less `node -e 0`, and what is above it) and
 *    through the agent (the app channel served as the app and `serve` serve it; no passphrase),
 *    and `exec` through the agent running `node -e 0`; each as min/median/max.
 *    Login -> verified is also measured for 100 accounts, with its own emulator.
 * 3. The local credential endpoint: cached answers' latency (p50, p99 over 1,000 requests), and
 *    the AWS CLI's `sts get-caller-identity` wall time with the endpoint versus with static
 *    environment credentials, with `credential_process` through the agent, and with a
 *    `credential_process` that is only Node.js printing the same JSON (the floor of any
 *    credential_process run by Node.js); skipped, with the reason, where the AWS CLI v2 is absent.
 * 4. The accounts table at scale, in Chromium through the renderer harness (test/harness) against
 *    the app services: 300 member accounts (`--table-accounts`, plus the two identities' own
 *    profiles) rendered (from the Accounts tab click to the frame after every row is mounted),
 *    and the time from a keystroke in the search box to the filtered table, over `--keystrokes`
 *    keystrokes (at least 50; typing, a few Backspaces and Esc): `performance.now()` in the page
 *    before the input event, then `script` (the commit, seen by a MutationObserver), `commit`
 *    (the layout of the filtered table forced right after it) and `frame` (a requestAnimationFrame
 *    after the commit: this includes the wait for the next frame, up to 16.7 ms at 60 Hz), each
 *    as p50, p95 and max. Skipped, with the reason, where Chromium is absent.
 *
 * `--part core|table|all` runs parts 1 to 3, part 4, or both (the default).
 *
 * The emulator runs in its own process, as STS is a remote service: its work (checking
 * signatures) does not share the client's event loop. All numbers come from one run on this
 * machine; compare them with each other, not across machines. Each figure is the median of the
 * rounds.
 */
const { values } = parseArgs({
  options: {
    'latency-ms': { type: 'string', default: '50' },
    accounts: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    'process-runs': { type: 'string', default: '15' },
    'table-accounts': { type: 'string', default: '300' },
    keystrokes: { type: 'string', default: '60' },
    part: { type: 'string', default: 'all' },
  },
});
const latencyMs = Number(values['latency-ms']);
const accounts = Number(values.accounts);
const rounds = Number(values.rounds);
const processRuns = Number(values['process-runs']);
const tableAccounts = Number(values['table-accounts']);
const keystrokes = Math.max(50, Number(values.keystrokes));
const part = values.part;
if (part !== 'all' && part !== 'core' && part !== 'table') throw new Error(`--part is core, table or all, not ${part}`);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const round1 = (x: number): number => Math.round(x * 10) / 10;
/** min, median and max of a figure's runs, in ms to 0.1. */
const spread = (xs: number[]): { minMs: number; medianMs: number; maxMs: number; runs: number } => ({
  minMs: round1(Math.min(...xs)),
  medianMs: round1(median(xs)),
  maxMs: round1(Math.max(...xs)),
  runs: xs.length,
});
const ratio = (a: number[], b: number[]): number => Math.round((median(a) / median(b)) * 100) / 100;

/** The STS emulator in a child process, driven through its control API. */
interface RemoteEmulator {
  url: string;
  control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  stop(): void;
}

async function startRemoteEmulator(fixture: Fixture, dir: string): Promise<RemoteEmulator> {
  const fixtureFile = join(dir, 'bench-fixture.json');
  writeFileSync(fixtureFile, JSON.stringify(fixture));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/sts-emulator/cli.ts', '--fixture', fixtureFile, '--port', '0', '--latency-ms', String(latencyMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`The STS emulator exited (${code ?? 'signal'}) before listening`)));
  });
  return {
    url,
    async control(method, path, body) {
      const response = await fetch(`${url}/__emulator/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
      return (await response.json()) as Record<string, unknown>;
    },
    stop: () => child.kill('SIGTERM'),
  };
}

/** The user's MFA device: the code it shows now, read through the emulator's control API. */
class BenchDevice implements MfaPrompter {
  /** The code typed into the prompt; read before the clock starts, as the user reads it first. */
  code = '';

  constructor(
    private readonly emulator: RemoteEmulator,
    private readonly serialNumber: string,
  ) {}

  async readNextCode(): Promise<void> {
    await this.emulator.control('POST', 'clock', { advanceMs: 30_000 }); // each code works once
    this.code = String((await this.emulator.control('GET', `mfa-code?serialNumber=${encodeURIComponent(this.serialNumber)}`)).code);
  }

  prompt(): Promise<string> {
    return Promise.resolve(this.code);
  }
}

interface BenchCore {
  vault: Vault;
  sts: SdkStsGateway;
  sessions: SessionManager;
  device: BenchDevice;
}

async function setUpVault(emulator: RemoteEmulator, fixture: Fixture, dir: string): Promise<BenchCore> {
  const alice = fixture.users.find((u) => u.name === 'alice');
  const key = alice?.accessKeys[0];
  const serial = alice?.mfaDevices[0]?.serialNumber;
  if (!alice || !key || !serial) throw new Error('The fixture has no alice with a key and an MFA device');
  const { vault } = Vault.open(dir, (header) => new PassphraseCipher('bench passphrase', header?.salt));
  const identity = await vault.addIdentity({ label: 'security', accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, mfaSerial: serial, region: 'us-east-1' });
  vault.upsertProfile({ name: 'security', identityId: identity.id });
  fixture.roles.forEach((role, i) => vault.upsertProfile({ name: `account-${i + 1}`, identityId: identity.id, roleArn: role.arn }));
  const device = new BenchDevice(emulator, serial);
  const sts = new SdkStsGateway({ endpoint: emulator.url });
  return { vault, sts, device, sessions: new SessionManager({ vault, sts, prompter: device }) };
}

/** Login -> every account verified, the product's way and one at a time, beside one STS round trip. */
async function measureLogin(core: BenchCore): Promise<{ parallel: number[]; sequential: number[]; roundTrip: number[] }> {
  const parallel: number[] = [];
  const sequential: number[] = [];
  const roundTrip: number[] = [];
  const keys = await core.vault.longTermKeys(core.vault.identities()[0]?.id ?? '');
  for (let r = 0; r < rounds; r += 1) {
    parallel.push(await signInAndVerify(core, 32));
    sequential.push(await signInAndVerify(core, 1));
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      await core.sts.getCallerIdentity(keys, 'us-east-1');
      roundTrip.push(performance.now() - started);
    }
  }
  return { parallel, sequential, roundTrip };
}

/** The same figure for another number of accounts, with its own emulator and vault. */
async function loginFigure(count: number): Promise<Record<string, unknown>> {
  const fixture = organisation(count);
  const dir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-bench-'));
  const emulator = await startRemoteEmulator(fixture, dir);
  await emulator.control('POST', 'clock', { freeze: true });
  try {
    const core = await setUpVault(emulator, fixture, dir);
    await core.vault.verifyKey();
    await signInAndVerify(core, 32);
    const { parallel, sequential, roundTrip } = await measureLogin(core);
    const floor = roundTrip.map((x) => 3 * x);
    return {
      accounts: count,
      parallel: spread(parallel),
      sequential: spread(sequential),
      floorMs: round1(3 * median(roundTrip)),
      parallelOverFloor: ratio(parallel, floor),
      speedup: round1(median(sequential) / median(parallel)),
    };
  } finally {
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** From login with a valid code to every account verified. */
async function signInAndVerify(core: BenchCore, concurrency: number): Promise<number> {
  core.sessions.signOut();
  await core.device.readNextCode();
  const started = performance.now();
  const report = await verifyAccounts(core, { requester: { kind: 'command-line', description: 'bench' }, concurrency });
  const elapsed = performance.now() - started;
  const failed = report.results.filter((r) => r.verdict !== 'ok');
  if (failed.length > 0) throw new Error(`Verification failed during the benchmark: ${JSON.stringify(failed[0])}`);
  return elapsed;
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(process.execPath, args, { env }, (error, stdout) => {
      if (error) reject(new Error(`${args.join(' ')} failed: ${error.message}`));
      else if (args[1] === 'credential-process' && !stdout.includes('"Version":1')) reject(new Error(`credential-process printed ${stdout}`));
      else resolve(performance.now() - started);
    });
  });
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The queries typed, one character at a time: each prefix is one keystroke (Backspace runs too). */
function keystrokeValues(count: number): string[] {
  const words = ['acme-payments-prod', 'data-platform', '200000000123', 'deployer', 'acme-observability-sandbox', 'identity staging', 'ops'];
  const values: string[] = [];
  for (let w = 0; values.length < count; w += 1) {
    const word = words[w % words.length] ?? 'acme';
    for (let i = 1; i <= word.length && values.length < count; i += 1) values.push(word.slice(0, i));
    for (let i = word.length - 1; i >= 0 && values.length < count && i >= word.length - 3; i -= 1) values.push(word.slice(0, i)); // a few Backspaces
    if (values.length < count) values.push(''); // cleared (Esc)
  }
  return values;
}

/** What the bench's functions run in the page use of it (this file compiles without the DOM library). */
interface BenchElement {
  textContent: string | null;
  value: string;
  offsetHeight: number;
  click(): void;
  focus(): void;
  dispatchEvent(event: unknown): boolean;
}
interface BenchWindow {
  document: { body: BenchElement; querySelector(selector: string): BenchElement | null; querySelectorAll(selector: string): ArrayLike<BenchElement> };
  performance: { now(): number };
  requestAnimationFrame(callback: () => void): number;
  setTimeout(callback: () => void, ms: number): number;
  InputEvent: new (type: string, init: { bubbles: boolean; inputType: string }) => unknown;
  MutationObserver: new (callback: () => void) => { observe(target: BenchElement, options: Record<string, boolean>): void; disconnect(): void };
}

/** Part 4: the accounts table in Chromium, through the harness, against the app services. */
async function benchTable(): Promise<Record<string, unknown>> {
  const chromium = findChromium();
  if ('missing' in chromium) return { skipped: chromium.missing };
  const many = manyAccounts(tableAccounts);
  await buildApp({ clean: false });
  const emulator = await startStsEmulator({ fixture: many.fixture });
  const browser = await launchChromium(chromium.path);
  let harness: AppHarness | undefined;
  try {
    // tsx (unlike vitest) compiles with esbuild's keepNames, which wraps functions in `__name(...)`;
    // the functions the harness and this bench run in the page need that helper there too.
    const pageReady: Browser = Object.create(browser, {
      newContext: {
        value: async (options?: BrowserContextOptions): Promise<BrowserContext> => {
          const context = await browser.newContext(options);
          await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
          return context;
        },
      },
    }) as Browser;
    harness = await AppHarness.start({ emulator, browser: pageReady });
    await setUpManyAccounts(harness, many);
    const page = harness.mainPage();
    const rows = tableAccounts + 2; // the identities' own profiles too
    // (Locators, not waitForFunction: the page's Content Security Policy forbids eval.)
    await page.locator('tbody.account').nth(rows - 1).waitFor();

    // Rendering the table: from the Accounts tab click (from another tab) to the frame after the commit.
    const renders: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      await page.getByRole('tab', { name: /Settings/ }).click();
      await page.locator('table.accounts').waitFor({ state: 'detached' });
      renders.push(
        await page.evaluate(
          (n) =>
            new Promise<number>((resolve) => {
              const w = globalThis as unknown as BenchWindow;
              const tab = Array.from(w.document.querySelectorAll('[role="tab"]')).find((t) => t.textContent?.includes('Accounts'));
              const started = w.performance.now();
              tab?.click();
              const check = (): void => {
                if (w.document.querySelectorAll('tbody.account').length === n) w.requestAnimationFrame(() => resolve(w.performance.now() - started));
                else w.setTimeout(check, 0);
              };
              check();
            }),
          rows,
        ),
      );
    }

    // Keystrokes in the search box.
    const values = keystrokeValues(keystrokes);
    const timings = await page.evaluate(
      (typed) =>
        new Promise<{ script: number[]; commit: number[]; frame: number[] }>((resolve) => {
          const w = globalThis as unknown as BenchWindow;
          const { document, performance } = w;
          const input = document.querySelector('#account-search');
          if (!input) throw new Error('no search box');
          input.focus();
          const table = document.querySelector('table.accounts');
          const script: number[] = [];
          const commit: number[] = [];
          const frame: number[] = [];
          const next = (i: number): void => {
            if (i >= typed.length) {
              resolve({ script, commit, frame });
              return;
            }
            const value = typed[i] ?? '';
            const started = performance.now();
            input.value = value;
            input.dispatchEvent(new w.InputEvent('input', { bubbles: true, inputType: 'insertText' }));
            const observer = new w.MutationObserver(() => {
              observer.disconnect();
              script.push(performance.now() - started);
              void table?.offsetHeight; // the layout of the filtered table
              commit.push(performance.now() - started);
              w.requestAnimationFrame(() => {
                frame.push(performance.now() - started);
                w.setTimeout(() => next(i + 1), 0);
              });
            });
            observer.observe(document.querySelector('.accounts-panel') ?? document.body, { childList: true, subtree: true, characterData: true, attributes: true });
            // A keystroke that changes nothing on the page (the same rows, the same count) commits
            // nothing: it is measured to the next task and frame all the same.
            w.setTimeout(() => {
              if (commit.length > i) return;
              observer.disconnect();
              script.push(performance.now() - started);
              commit.push(performance.now() - started);
              w.requestAnimationFrame(() => {
                frame.push(performance.now() - started);
                w.setTimeout(() => next(i + 1), 0);
              });
            }, 0);
          };
          next(0);
        }),
      values,
    );
    const script = [...timings.script].sort((a, b) => a - b);
    const commit = [...timings.commit].sort((a, b) => a - b);
    const frame = [...timings.frame].sort((a, b) => a - b);
    return {
      accounts: rows,
      renderMs: round1(median(renders)),
      renderRuns: renders.length,
      keystrokes: values.length,
      searchScriptMs: { p50: round2(percentile(script, 50)), p95: round2(percentile(script, 95)), max: round2(script.at(-1) ?? 0) },
      searchCommitMs: { p50: round2(percentile(commit, 50)), p95: round2(percentile(commit, 95)), max: round2(commit.at(-1) ?? 0) },
      searchFrameMs: { p50: round2(percentile(frame, 50)), p95: round2(percentile(frame, 95)), max: round2(frame.at(-1) ?? 0) },
      targetP95Ms: 16,
    };
  } finally {
    await harness?.close();
    await browser.close();
    await emulator.close();
  }
}

async function main(): Promise<void> {
  if (part === 'table') {
    process.stdout.write(`${JSON.stringify({ accountsTable: await benchTable() }, null, 2)}\n`);
    return;
  }
  const fixture = organisation(accounts);
  const dir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-bench-'));
  const emulator = await startRemoteEmulator(fixture, dir);
  await emulator.control('POST', 'clock', { freeze: true });
  try {
    const core = await setUpVault(emulator, fixture, dir);
    await core.vault.verifyKey(); // the passphrase is typed before the clock starts
    await signInAndVerify(core, 32); // warm up: SDK loaded, connections made

    const login = await measureLogin(core);
    const parallelMs = median(login.parallel);
    const sequentialMs = median(login.sequential);
    const floorMs = 3 * median(login.roundTrip);

    // A cached credential-process: the CLI's vault holds a fresh session for account-1.
    await buildCli({ clean: false });
    const bundle = new URL('../dist/cli/aws-auth-tray.js', import.meta.url).pathname;
    // No agent: the app channel's location is one where none listens (not the machine's default, where one may).
    const env = {
      ...process.env,
      AWS_AUTH_TRAY_HOME: dir,
      AWS_AUTH_TRAY_PASSPHRASE: 'bench passphrase',
      AWS_ENDPOINT_URL_STS: emulator.url,
      AWS_AUTH_TRAY_APP_SOCKET: join(dir, 'no-agent', 'app.sock'),
    };
    // The standalone price: the vault's key derivation alone, in a process of its own (a fresh
    // process pays for the 128 MiB scrypt touches, which a warm one may not), less Node.js's start.
    const { log2N, r, p } = SCRYPT_PARAMS;
    const kdfScript = `require('node:crypto').scrypt('bench passphrase', Buffer.alloc(16), 32, { N: 2 ** ${log2N}, r: ${r}, p: ${p}, maxmem: 512 * 1024 * 1024 }, () => {})`;
    await emulator.control('POST', 'clock', { freeze: false });
    await core.sessions.getCredentials('account-1', { requester: { kind: 'command-line', description: 'bench' } });
    const cached: number[] = [];
    const bare: number[] = [];
    const kdfProcess: number[] = [];
    for (let i = 0; i < processRuns; i += 1) {
      cached.push(await timeProcess([bundle, 'credential-process', 'account-1'], env));
      bare.push(await timeProcess(['-e', '0'], env));
      kdfProcess.push(await timeProcess(['-e', kdfScript], env));
    }

    // The agent path: the app channel served from this process (as the app and serve do); the
    // command line has no passphrase, so only the agent can answer.
    const socketPath = join(dir, 'agent', 'app.sock');
    const channel = await startAppChannel(
      { sessions: core.sessions, requester: () => ({ kind: 'command-line', description: 'bench' }) },
      { socketPath, tokenFile: appChannelTokenPath(socketPath, dir) },
    );
    const agentEnv: NodeJS.ProcessEnv = { ...env, AWS_AUTH_TRAY_APP_SOCKET: socketPath };
    delete agentEnv.AWS_AUTH_TRAY_PASSPHRASE;
    const viaAgent: number[] = [];
    const bareAgentRuns: number[] = [];
    const execViaAgent: number[] = [];
    for (let i = 0; i < processRuns; i += 1) {
      viaAgent.push(await timeProcess([bundle, 'credential-process', 'account-1'], agentEnv));
      bareAgentRuns.push(await timeProcess(['-e', '0'], agentEnv));
      execViaAgent.push(await timeProcess([bundle, 'exec', 'account-1', '--', process.execPath, '-e', '0'], agentEnv));
    }

    // The credential endpoint, answering from the cached role session.
    const master = 'bench-token-master-0123456789abcdefghijklmnop';
    const token = profileToken(master, 'account-1');
    const endpoint = await startCredentialEndpoint({ sessions: core.sessions, master: () => master, requester: () => ({ kind: 'terminal', description: 'bench' }) });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const fetchOnce = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const req = request({ host: '127.0.0.1', port: endpoint.port, path: '/profiles/account-1', headers: { authorization: token }, agent }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`endpoint answered ${res.statusCode ?? '?'}`))));
        });
        req.on('error', reject);
        req.end();
      });
    for (let i = 0; i < 50; i += 1) await fetchOnce(); // warm up
    const endpointTimes: number[] = [];
    for (let i = 0; i < 1000; i += 1) endpointTimes.push(await fetchOnce());
    endpointTimes.sort((a, b) => a - b);
    agent.destroy();

    const cli = findAwsCliV2();
    const awsCliRuns = 7;
    let awsCli: Record<string, unknown>;
    if ('missing' in cli) {
      awsCli = { skipped: cli.missing };
    } else {
      writeFileSync(join(dir, 'config'), '');
      writeFileSync(join(dir, 'credentials'), '');
      const base = isolatedAwsEnv(dir);
      const viaEndpoint = { ...base, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint.address}/profiles/account-1`, AWS_CONTAINER_AUTHORIZATION_TOKEN: token };
      const staticCreds = await core.sessions.getCredentials('account-1', { requester: { kind: 'command-line', description: 'bench' } });
      const viaStatic = { ...base, AWS_ACCESS_KEY_ID: staticCreds.accessKeyId, AWS_SECRET_ACCESS_KEY: staticCreds.secretAccessKey, AWS_SESSION_TOKEN: staticCreds.sessionToken };
      const runCli = (env: Record<string, string>): Promise<number> =>
        new Promise((resolve, reject) => {
          const started = performance.now();
          execFile(cli.path, ['sts', 'get-caller-identity', '--endpoint-url', emulator.url, '--output', 'json'], { env }, (error) =>
            error ? reject(new Error(`aws sts get-caller-identity failed: ${error.message}`)) : resolve(performance.now() - started),
          );
        });
      const agentConfig = join(dir, 'agent-config');
      writeFileSync(agentConfig, `[default]\ncredential_process = ${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)} credential-process account-1\n`);
      const viaCredentialProcess: Record<string, string> = { ...base, AWS_CONFIG_FILE: agentConfig, AWS_AUTH_TRAY_APP_SOCKET: socketPath };
      // The floor of any credential_process written for Node.js: a script that only prints the same credentials.
      const floorScript = join(dir, 'credential-process-floor.cjs');
      const floorAnswer = { Version: 1, AccessKeyId: staticCreds.accessKeyId, SecretAccessKey: staticCreds.secretAccessKey, SessionToken: staticCreds.sessionToken, Expiration: staticCreds.expiration.toISOString() };
      writeFileSync(floorScript, `process.stdout.write(${JSON.stringify(JSON.stringify(floorAnswer))});\n`);
      const floorConfig = join(dir, 'floor-config');
      writeFileSync(floorConfig, `[default]\ncredential_process = ${JSON.stringify(process.execPath)} ${JSON.stringify(floorScript)}\n`);
      const viaFloor: Record<string, string> = { ...base, AWS_CONFIG_FILE: floorConfig };
      const withEndpoint: number[] = [];
      const withStatic: number[] = [];
      const withCredentialProcess: number[] = [];
      const withFloor: number[] = [];
      for (let i = 0; i < awsCliRuns; i += 1) {
        withEndpoint.push(await runCli(viaEndpoint));
        withStatic.push(await runCli(viaStatic));
        withCredentialProcess.push(await runCli(viaCredentialProcess));
        withFloor.push(await runCli(viaFloor));
      }
      awsCli = {
        endpointMs: round1(median(withEndpoint)),
        staticMs: round1(median(withStatic)),
        ratio: Math.round((median(withEndpoint) / median(withStatic)) * 100) / 100,
        runs: awsCliRuns,
        version: cli.version,
        credentialProcessViaAgent: {
          ...spread(withCredentialProcess),
          static: spread(withStatic),
          ratio: ratio(withCredentialProcess, withStatic),
          // A Node.js script printing the same JSON as credential_process: what starting Node.js costs the AWS CLI.
          nodeFloor: { ...spread(withFloor), ratio: ratio(withFloor, withStatic) },
        },
      };
    }
    await endpoint.close();
    await channel.close();

    const result = {
      accounts,
      latencyMs,
      parallelMs: round1(parallelMs),
      sequentialMs: round1(sequentialMs),
      floorMs: round1(floorMs),
      speedup: round1(sequentialMs / parallelMs),
      parallelOverFloor: Math.round((parallelMs / floorMs) * 100) / 100,
      credentialProcess: {
        cachedMs: round1(median(cached)),
        nodeStartMs: round1(median(bare)),
        ratio: Math.round((median(cached) / median(bare)) * 100) / 100,
        runs: processRuns,
      },
      agent: {
        nodeStart: spread(bareAgentRuns),
        credentialProcess: { ...spread(viaAgent), ratio: ratio(viaAgent, bareAgentRuns) },
        exec: { ...spread(execViaAgent), overheadMs: round1(median(execViaAgent) - median(bareAgentRuns)), ratio: ratio(execViaAgent, bareAgentRuns) },
        standalone: {
          ...spread(cached),
          // A process that only derives the key, and that less Node.js's start: the key derivation's price.
          kdfProcess: spread(kdfProcess),
          kdfMs: round1(median(kdfProcess) - median(bare)),
          aboveKdfMs: round1(median(cached) - (median(kdfProcess) - median(bare))),
          aboveKdfRatio: Math.round(((median(cached) - (median(kdfProcess) - median(bare))) / median(bare)) * 100) / 100,
        },
      },
      login: [
        { accounts, parallel: spread(login.parallel), sequential: spread(login.sequential), floorMs: round1(floorMs), parallelOverFloor: ratio(login.parallel, login.roundTrip.map((x) => 3 * x)), speedup: round1(sequentialMs / parallelMs) },
        ...(accounts === 100 ? [] : [await loginFigure(100)]),
      ],
      endpoint: {
        p50Ms: Math.round((endpointTimes[499] ?? 0) * 1000) / 1000,
        p99Ms: Math.round((endpointTimes[989] ?? 0) * 1000) / 1000,
        requests: endpointTimes.length,
      },
      awsCliGetCallerIdentity: awsCli,
      ...(part === 'all' ? { accountsTable: await benchTable() } : {}),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
