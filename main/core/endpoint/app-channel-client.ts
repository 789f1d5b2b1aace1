import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { UserFacingError } from '../user-facing-error.js';
import type { VerificationReport } from '../verification/verify-accounts.js';
import type { ContainerCredentials } from './credential-server.js';

/**
 * The command line's side of the app channel: ask the running app for credentials or a
 * verification, so its MFA popup and its keychain vault are used. `connect` returns undefined
 * when no app is listening (the command line then uses its own vault).
 */
export class AppChannelClient {
  private constructor(
    private readonly socketPath: string,
    private readonly token: string,
  ) {}

  static async connect(socketPath: string, tokenPath: string): Promise<AppChannelClient | undefined> {
    if (process.platform !== 'win32' && !existsSync(socketPath)) return undefined;
    let token: string;
    try {
      token = readFileSync(tokenPath, 'utf8').trim();
    } catch {
      return undefined;
    }
    const client = new AppChannelClient(socketPath, token);
    try {
      await client.call('GET', '/profiles/-probe-');
    } catch (error) {
      if (error instanceof UserFacingError) return client; // it answered (404 for the probe): the app is there
      return undefined; // nobody listening (a stale socket) or no permission
    }
    return client;
  }

  private call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          socketPath: this.socketPath,
          path,
          method,
          headers: { authorization: this.token, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            let json: unknown;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              reject(new UserFacingError('app-channel', 'AWS Auth Tray answered something that is not JSON; restart the app.'));
              return;
            }
            if (res.statusCode === 200) resolve(json);
            else {
              const { message, code } = json as { message?: string; code?: string };
              reject(new UserFacingError(code ?? 'app-channel', message ?? `AWS Auth Tray answered ${res.statusCode ?? '?'}.`));
            }
          });
        },
      );
      req.on('error', reject);
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
