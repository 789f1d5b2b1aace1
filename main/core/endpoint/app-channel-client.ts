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
 * when no app is listening (the command line then uses its own vault), and also when what
 * listens cannot be trusted: a directory or token file of another user, or a listener that
 * cannot prove it holds the token; `refused` then hears why, in a sentence.
 */
export class AppChannelClient {
  private constructor(
    private readonly socketPath: string,
    private readonly token: string,
  ) {}

  static async connect(socketPath: string, tokenPath: string, refused: (sentence: string) => void = () => undefined): Promise<AppChannelClient | undefined> {
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
    const client = new AppChannelClient(socketPath, token);
    try {
      await client.call('GET', '/profiles/-probe-');
    } catch (error) {
      if (error instanceof UserFacingError && error.code === 'app-channel-impostor') {
        refused(error.message);
        return undefined;
      }
      if (error instanceof UserFacingError && error.code !== 'app-channel-gone') return client; // it answered, signed (404 for the probe): the app is there
      return undefined; // nobody listening (a stale socket) or no permission
    }
    return client;
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
      // Connected before, gone now (the app quit, serve stopped or crashed): a sentence the
      // caller can act on, or fall back on.
      req.on('error', (error) =>
        reject(new UserFacingError('app-channel-gone', `AWS Auth Tray (the app, or aws-auth-tray serve) stopped answering on ${this.socketPath} during the request.`, { cause: error })),
      );
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

/** A socket of this user's at `path` (lstat: never through a symlink). */
function isOwnSocket(path: string): boolean {
  try {
    const stats = lstatSync(path);
    return stats.isSocket() && (typeof process.getuid !== 'function' || stats.uid === process.getuid());
  } catch {
    return false;
  }
}
