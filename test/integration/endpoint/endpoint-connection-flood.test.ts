import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_CAP } from '../../../main/core/endpoint/connection-guard.js';
import { profileToken } from '../../../main/core/endpoint/profile-token.js';

/**
 * Thousands of idle connections to the credential endpoint (another local user, or a broken
 * client) must not keep the user's own request from being answered. Before the guard, ~40,000
 * half-open connections used up the app's open files and made legitimate requests fail for a
 * minute or more. The endpoint runs in its own process with a limit of 512 open files, so a
 * flood of 1,500 reaches that limit quickly on any machine.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const MASTER = 'flood-test-token-master-0123456789abcdefghijklmnop';
const TOKEN = profileToken(MASTER, 'dev');
const OPEN_FILES = 512;
const IDLE = 1_500;

function openIdle(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    // Dropped by the server to make room, or never accepted: expected here, not an error.
    socket.on('error', () => resolve(socket));
    socket.setTimeout(2_000, () => resolve(socket));
  });
}

function get(port: number, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { authorization: TOKEN }, agent: false, timeout: 8_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
    });
    req.on('timeout', () => req.destroy(new Error('the endpoint did not answer within 8 s')));
    req.on('error', reject);
    req.end();
  });
}

describe(`credential endpoint under ${IDLE} idle connections, with ${OPEN_FILES} open files`, () => {
  let child: ChildProcess;
  let port = 0;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const script = join(ROOT, 'test', 'integration', 'endpoint', 'fixtures', 'endpoint-in-child.ts');
    child = spawn('bash', ['-c', `ulimit -n ${OPEN_FILES} && exec "${process.execPath}" --import tsx "${script}"`], { cwd: ROOT, env: { ...process.env, FLOOD_TOKEN_MASTER: MASTER }, stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(Number(out.trim()));
      });
      child.once('exit', (code) => reject(new Error(`the endpoint process exited (${String(code)})`)));
    });
  });
  afterAll(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
    child.kill('SIGKILL');
  });

  it(`the user's request is still answered, with credentials (at most ${CONNECTION_CAP} connections are kept)`, async () => {
    for (let i = 0; i < IDLE; i += 100) sockets.push(...(await Promise.all(Array.from({ length: 100 }, () => openIdle(port)))));
    const answer = await get(port, '/profiles/dev');
    expect(answer.status).toBe(200);
    expect(answer.body.AccessKeyId).toBe('ASIAFLOODTESTFLOODTE');
  });
});
