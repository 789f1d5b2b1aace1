import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signRequest, verifyResponse } from '../../../main/core/endpoint/app-channel-auth.js';
import { AppChannelClient, ABSENT } from '../../../main/core/endpoint/app-channel-client.js';
import { encodeAnswer, encodeRequest, readAnswer } from '../../../main/core/endpoint/app-channel-frames.js';
import { startAppChannel } from '../../../main/core/endpoint/app-channel-server.js';
import { CONNECTION_CAP } from '../../../main/core/endpoint/connection-guard.js';
import type { RunningServer } from '../../../main/core/endpoint/running-server.js';
import type { SessionManager } from '../../../main/core/sessions/session-manager.js';
import type { VerificationReport } from '../../../main/core/verification/verify-accounts.js';

/**
 * The app channel's server over a real Unix socket, with its own client and with raw bytes:
 * one request per connection, answered only when genuine, refused in its own words otherwise,
 * and the client's reading of answers that come in pieces, too large, cut short or from nobody.
 */
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const asked: string[] = [];
const sessions = {
  waitingForMfaCode: false,
  getCredentials(profile: string) {
    asked.push(profile);
    return Promise.resolve({ accessKeyId: 'ASIACHANNELTEST00001', secretAccessKey: SECRET, sessionToken: 'session-token', expiration: new Date('2030-01-01T00:00:00Z'), region: 'eu-west-1' });
  },
} as unknown as SessionManager;
/** A verification report of about 2 MB: it crosses the socket in many pieces. */
const bigReport: VerificationReport = { results: [], warnings: Array.from({ length: 20_000 }, (_, i) => `account ${i} ${'x'.repeat(90)}`) };

let dir: string;
let socketPath: string;
let tokenFile: string;
let channel: RunningServer;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aat-channel-'));
  socketPath = join(dir, 'agent', 'app.sock');
  tokenFile = join(dir, 'agent', 'app.token');
  asked.length = 0;
  channel = await startAppChannel(
    { sessions, requester: () => ({ kind: 'command-line', description: 'test' }), verify: () => Promise.resolve(bigReport) },
    { socketPath, tokenFile },
  );
});
afterEach(async () => {
  await channel.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The channel's token, as the command line reads it. */
const token = (): string => readFileSync(tokenFile, 'utf8').trim();

/** Sends bytes (in the given pieces, each after the previous one is written) and reads everything until the server closes. */
function exchange(pieces: Buffer[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ path: socketPath });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.once('connect', () => {
      const next = (i: number): void => {
        if (i < pieces.length) socket.write(pieces[i] ?? Buffer.alloc(0), () => setImmediate(() => next(i + 1)));
      };
      next(0);
    });
  });
}

function answerOf(bytes: Buffer): { status: number; proof: string; body: Record<string, unknown> } {
  const reading = readAnswer(bytes);
  if (reading.state !== 'complete') throw new Error(`not one answer: ${bytes.toString('latin1').slice(0, 200)}`);
  return { status: reading.frame.status, proof: reading.frame.proof, body: JSON.parse(reading.frame.body.toString('utf8')) as Record<string, unknown> };
}

describe('the app channel server', () => {
  it("answers its own client's genuine requests: credentials, and a 2 MB verification report read in pieces", async () => {
    const client = AppChannelClient.connect(socketPath, tokenFile);
    expect(client).toBeDefined();
    await expect(client?.credentials('dev')).resolves.toMatchObject({ AccessKeyId: 'ASIACHANNELTEST00001', SecretAccessKey: SECRET, Expiration: '2030-01-01T00:00:00Z' });
    await expect(client?.verify(['dev'])).resolves.toEqual(bigReport);
    expect(asked).toEqual(['dev']);
  });

  it('a request written one byte at a time is answered, and signed', async () => {
    const secret = token();
    const { authorization, nonce } = signRequest(secret, { method: 'GET', path: '/profiles/dev', body: '' });
    const bytes = encodeRequest({ method: 'GET', target: '/profiles/dev', authorization, body: Buffer.alloc(0) });
    const raw = await exchange(Array.from(bytes, (b) => Buffer.from([b])));
    const reading = readAnswer(raw);
    expect(reading.state).toBe('complete');
    if (reading.state !== 'complete') return;
    expect(reading.frame.status).toBe(200);
    expect(verifyResponse(secret, nonce, 200, reading.frame.body, reading.frame.proof)).toBe(true);
  });

  it('the same request again (a replay) is refused unsigned, and the sessions are asked once', async () => {
    const secret = token();
    const { authorization } = signRequest(secret, { method: 'GET', path: '/profiles/dev', body: '' });
    const bytes = encodeRequest({ method: 'GET', target: '/profiles/dev', authorization, body: Buffer.alloc(0) });
    expect(answerOf(await exchange([bytes])).status).toBe(200);
    const again = answerOf(await exchange([bytes]));
    expect(again).toMatchObject({ status: 403, proof: '-', body: { message: expect.stringContaining('not signed with the app channel token') as unknown } });
    expect(asked).toEqual(['dev']);
  });

  it.each([
    ['an HTTP request (an older command line, curl)', Buffer.from('GET /profiles/dev HTTP/1.1\r\nHost: x\r\n\r\n'), 400, "only its own command line speaks here"],
    ['a malformed head line', Buffer.from('aws-auth-tray/2 GET /profiles/dev 0\n'), 400, 'not a well-formed'],
    ['a second request after the first', Buffer.from('aws-auth-tray/2 GET /profiles/dev AAT-HMAC-SHA256 t=1,n=2,m=3 0\naws-auth-tray/2'), 400, 'not a well-formed'],
    ['a body over 64 KiB', Buffer.from('aws-auth-tray/2 POST /verify AAT-HMAC-SHA256 t=1,n=2,m=3 70000\n'), 413, 'too large'],
    ['an unsigned request', Buffer.from('aws-auth-tray/2 GET /profiles/dev AAT-HMAC-SHA256 t=1,n=2,m=3 0\n'), 403, 'not signed'],
  ])('%s is refused in its own words, unsigned, without asking the sessions', async (_name, bytes, status, words) => {
    const answer = answerOf(await exchange([bytes]));
    expect(answer).toMatchObject({ status, proof: '-' });
    expect(answer.body.message).toContain(words);
    expect(asked).toEqual([]);
  });

  it(`under ${CONNECTION_CAP + 50} idle connections, the user's request is still answered`, async () => {
    const idle = await Promise.all(
      Array.from(
        { length: CONNECTION_CAP + 50 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect({ path: socketPath });
            socket.once('connect', () => resolve(socket));
            socket.on('error', () => resolve(socket));
          }),
      ),
    );
    try {
      await expect(AppChannelClient.connect(socketPath, tokenFile)?.credentials('dev')).resolves.toMatchObject({ AccessKeyId: 'ASIACHANNELTEST00001' });
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });
});

describe("the app channel client, facing what is not the agent's whole answer", () => {
  let fake: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve()));
    fake = undefined;
  });

  /** Replaces the channel with a server that does `behave` with each connection. */
  async function impersonate(behave: (socket: Socket) => void): Promise<void> {
    await channel.close();
    writeFileSync(tokenFile, 'the-real-token-the-fake-cannot-read-0123456789', { mode: 0o600 });
    fake = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => behave(socket));
    });
    await new Promise<void>((resolve) => fake?.listen(socketPath, resolve));
  }

  it('an answer cut short (the agent quit mid-answer) is app-channel-gone', async () => {
    await impersonate((socket) => {
      const whole = encodeAnswer({ status: 200, proof: 'p', body: Buffer.from('{"AccessKeyId":"ASIAHALF"}') });
      socket.end(whole.subarray(0, whole.length - 5));
    });
    await expect(AppChannelClient.connect(socketPath, tokenFile)?.credentials('dev')).rejects.toMatchObject({ code: 'app-channel-gone' });
  });

  it('an answer announcing more than 16 MiB is refused before it is read', async () => {
    await impersonate((socket) => socket.write('aws-auth-tray/2 200 p 999999999\n'));
    await expect(AppChannelClient.connect(socketPath, tokenFile)?.credentials('dev')).rejects.toMatchObject({ code: 'app-channel-impostor' });
  });

  it('a closed connection with no answer at all is app-channel-gone', async () => {
    await impersonate((socket) => socket.destroy());
    await expect(AppChannelClient.connect(socketPath, tokenFile)?.credentials('dev')).rejects.toMatchObject({ code: 'app-channel-gone' });
  });

  it('a socket left behind by a crash, which nobody listens on, is absent: nothing was sent', async () => {
    await channel.close();
    writeFileSync(tokenFile, 'a-token-of-the-crashed-run-0123456789abcdef', { mode: 0o600 });
    // A process that listens there and is killed: its socket file stays.
    const crashed = spawnSync(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(crashed.signal).toBe('SIGKILL');
    expect(existsSync(socketPath)).toBe(true);
    await expect(AppChannelClient.connect(socketPath, tokenFile)?.credentials('dev')).rejects.toMatchObject({ code: ABSENT });
  });
});
