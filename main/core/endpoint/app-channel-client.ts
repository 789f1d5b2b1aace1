import { lstatSync } from 'node:fs';
import type * as Http from 'node:http';
import { dirname } from 'node:path';
import { requireBuiltin } from '../builtin-require.js';
import { UserFacingError } from '../user-facing-error.js';
import type { VerificationReport } from '../verification/verify-accounts.js';
import { PROOF_HEADER, signRequest, verifyResponse } from './app-channel-auth.js';
import type { ContainerCredentials } from './credential-server.js';
import { checkPrivateDirectory, readPrivateFile } from './private-directory.js';

const { request } = requireBuiltin('node:http') as typeof Http; // see builtin-require.ts

/**
 * The command line's side of the app channel: ask the running app for credentials or a
 * verification, so its MFA popup and its keychain vault are used. `connect` returns undefined
 * when there is no app to ask (no socket, no token) or when what is there cannot be trusted (a
 * directory or token file of another user; `refused` then hears why, in a sentence).
 *
 * It does not knock first: a round trip before the real request cost the hot path of
 * credential_process a request and a signature. The real request finds out instead, and says so
 * with its code: `app-channel-absent` (nobody listens on the socket: a stale one, the app gone;
 * nothing was sent), `app-channel-impostor` (something answered that cannot prove it holds the
 * token; nothing of it is believed), `app-channel-gone` (the app stopped answering mid-request).
 */
export const ABSENT = 'app-channel-absent';

/** Errors of connecting that mean nobody listens there (nothing was sent). */
const NOBODY_LISTENS = new Set(['ECONNREFUSED', 'ENOENT', 'ENOTSOCK', 'EACCES', 'EPERM']);

export class AppChannelClient {
  private constructor(
    private readonly socketPath: string,
    private readonly token: string,
  ) {}

  static connect(socketPath: string, tokenPath: string, refused: (sentence: string) => void = () => undefined): AppChannelClient | undefined {
    let token: string | undefined;
    try {
      if (process.platform !== 'win32') {
        const dir = checkPrivateDirectory(dirname(socketPath));
        if (dir.state === 'missing') return undefined;
        if (dir.state === 'untrusted') throw dir.error;
        if (!isOwnSocket(socketPath)) return undefined;
      }
      token = readPrivateFile(tokenPath)?.trim();
    } catch (error) {
      if (error instanceof UserFacingError) refused(`not asking the AWS Auth Tray app: ${error.message}`);
      return undefined;
    }
    if (!token) return undefined;
    return new AppChannelClient(socketPath, token);
  }

  private call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? '' : JSON.stringify(body);
      const { authorization, nonce } = signRequest(this.token, { method, path, body: payload });
      const req = request(
        {
          socketPath: this.socketPath,
          // The socket decides where this goes; an IP literal as the host spares Node.js compiling
          // its IPv6 pattern for "localhost" (~8 ms of a credential_process call).
          host: '127.0.0.1',
          path,
          method,
          headers: { authorization, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > 16 * 1024 * 1024) res.destroy(new Error('answer too large'));
            else chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const status = res.statusCode ?? 0;
            const proof = res.headers[PROOF_HEADER];
            // Nothing of an unsigned answer is believed or shown: it may come from an impostor.
            if (!verifyResponse(this.token, nonce, status, raw, typeof proof === 'string' ? proof : undefined)) {
              reject(
                new UserFacingError(
                  'app-channel-impostor',
                  `not asking the AWS Auth Tray app: what answers on ${this.socketPath} cannot prove it is AWS Auth Tray (the app restarted just now, or another program listens there).`,
                ),
              );
              return;
            }
            let json: unknown;
            try {
              json = JSON.parse(raw.toString('utf8'));
            } catch {
              reject(new UserFacingError('app-channel', 'AWS Auth Tray answered something that is not JSON; restart the app.'));
              return;
            }
            if (status === 200) resolve(json);
            else {
              const { message, code } = json as { message?: unknown; code?: unknown };
              reject(new UserFacingError(typeof code === 'string' ? code : 'app-channel', typeof message === 'string' ? message : `AWS Auth Tray answered ${status}.`));
            }
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        // Nobody listens (a socket left behind, the app quit before this call): nothing was sent.
        if (error.syscall === 'connect' && error.code !== undefined && NOBODY_LISTENS.has(error.code)) {
          reject(new UserFacingError(ABSENT, `Nobody answers on ${this.socketPath}: AWS Auth Tray (the app, or aws-auth-tray serve) is not running.`, { cause: error }));
          return;
        }
        // Connected, gone now (the app quit, serve stopped or crashed): a sentence the caller
        // can act on, or fall back on.
        reject(new UserFacingError('app-channel-gone', `AWS Auth Tray (the app, or aws-auth-tray serve) stopped answering on ${this.socketPath} during the request.`, { cause: error }));
      });
      req.end(payload);
    });
  }

  async credentials(profile: string): Promise<ContainerCredentials> {
    return (await this.call('GET', `/profiles/${encodeURIComponent(profile)}`)) as ContainerCredentials;
  }

  async verify(profiles: string[] | undefined): Promise<VerificationReport> {
    return (await this.call('POST', '/verify', profiles ? { profiles } : {})) as VerificationReport;
  }
}

/** The agent's answer as the command line's credentials (what every output format takes). */
export function agentCredentials(c: ContainerCredentials): { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date; region: string } {
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.Token, expiration: new Date(c.Expiration), region: c.Region };
}

/** A socket of this user's at `path` (lstat: never through a symlink). */
function isOwnSocket(path: string): boolean {
  try {
    const stats = lstatSync(path);
    return stats.isSocket() && (typeof process.getuid !== 'function' || stats.uid === process.getuid());
  } catch {
    return false;
  }
}
