import { lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserFacingError } from '../user-facing-error.js';
import type { VerificationReport } from '../verification/verify-accounts.js';
import { signRequest, verifyResponse } from './app-channel-auth.js';
import { encodeRequest, readAnswer, type ChannelAnswerFrame } from './app-channel-frames.js';
import type { ConsoleLinkRequest, ContainerCredentials } from './credential-routes.js';
import { checkPrivateDirectory, readPrivateFile } from './private-directory.js';
import { isUnknownPath } from './unknown-path.js';


/**
 * The command line's side of the app channel (app-channel-server.ts): ask the running app for
 * credentials or a verification, so its MFA popup and its keychain vault are used. `connect`
 * returns undefined when there is no app to ask (no socket, no token) or when what is there
 * cannot be trusted (a directory or token file of another user; `refused` then hears why, in a
 * sentence).
 *
 * It does not knock first: a round trip before the real request cost the hot path of
 * credential_process a request and a signature. The real request finds out instead, and says so
 * with its code: `app-channel-absent` (nobody listens on the socket: a stale one, the app gone;
 * nothing was sent), `app-channel-impostor` (something answered that cannot prove it holds the
 * token, or does not speak the channel's protocol; nothing of it is believed), `app-channel-gone`
 * (the app stopped answering mid-request).
 */
export const ABSENT = 'app-channel-absent';
/** The agent is a version without the route asked for (an app older than the command line). */
export const OUTDATED = 'app-channel-outdated';

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
      const payload = Buffer.from(body === undefined ? '' : JSON.stringify(body), 'utf8');
      const { authorization, nonce } = signRequest(this.token, { method, path, body: payload });
      // Required here, not imported at load: without an agent, none is connected to.
      const socket = process.getBuiltinModule('node:net').createConnection({ path: this.socketPath });
      let connected = false;
      let settled = false;
      const chunks: Buffer[] = [];
      let size = 0;
      /** How many bytes the whole answer has, once its head line is read. */
      let total: number | undefined;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        socket.destroy();
        outcome();
      };
      socket.once('connect', () => {
        connected = true;
        socket.write(encodeRequest({ method, target: path, authorization, body: payload }));
      });
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (total !== undefined && size < total) return;
        const data = chunks.length === 1 ? chunk : Buffer.concat(chunks, size);
        chunks.splice(0, chunks.length, data);
        const reading = readAnswer(data);
        if (reading.state === 'partial') {
          total = reading.total;
          return;
        }
        if (reading.state === 'invalid' || reading.rest > 0) {
          settle(() => reject(this.impostor(data.subarray(0, 5).toString('latin1') === 'HTTP/')));
          return;
        }
        settle(() => this.believe(reading.frame, nonce, resolve, reject));
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        settle(() => {
          // Nobody listens (a socket left behind, the app quit before this call): nothing was sent.
          if (!connected && error.code !== undefined && NOBODY_LISTENS.has(error.code)) {
            reject(new UserFacingError(ABSENT, `Nobody answers on ${this.socketPath}: AWS Auth Tray (the app, or aws-auth-tray serve) is not running.`, { cause: error }));
          } else reject(this.gone(error));
        });
      });
      // Closed before the whole answer came: the app quit, serve stopped or crashed.
      socket.once('close', () => settle(() => reject(this.gone())));
    });
  }

  /** The answer, once its proof is checked: nothing of an unproven answer is believed or shown. */
  private believe({ status, proof, body }: ChannelAnswerFrame, nonce: string, resolve: (value: unknown) => void, reject: (error: Error) => void): void {
    if (!verifyResponse(this.token, nonce, status, body, proof)) {
      reject(this.impostor(false));
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      reject(new UserFacingError('app-channel', 'AWS Auth Tray answered something that is not JSON; restart the app.'));
      return;
    }
    if (status === 200) resolve(json);
    else {
      const { message, code } = json as { message?: unknown; code?: unknown };
      reject(new UserFacingError(typeof code === 'string' ? code : 'app-channel', typeof message === 'string' ? message : `AWS Auth Tray answered ${status}.`));
    }
  }

  private impostor(speaksHttp: boolean): UserFacingError {
    return new UserFacingError(
      'app-channel-impostor',
      speaksHttp
        ? `not asking the AWS Auth Tray app: what answers on ${this.socketPath} speaks HTTP, as earlier versions of AWS Auth Tray did, or it is another program; update the app (or run aws-auth-tray serve from this version) so that both are the same version.`
        : `not asking the AWS Auth Tray app: what answers on ${this.socketPath} cannot prove it is AWS Auth Tray (the app restarted just now, or another program listens there).`,
    );
  }

  private gone(cause?: Error): UserFacingError {
    return new UserFacingError('app-channel-gone', `AWS Auth Tray (the app, or aws-auth-tray serve) stopped answering on ${this.socketPath} during the request.`, cause === undefined ? undefined : { cause });
  }

  async credentials(profile: string): Promise<ContainerCredentials> {
    return (await this.call('GET', `/profiles/${encodeURIComponent(profile)}`)) as ContainerCredentials;
  }

  async verify(profiles: string[] | undefined): Promise<VerificationReport> {
    return (await this.call('POST', '/verify', profiles ? { profiles } : {})) as VerificationReport;
  }

  /**
   * A console sign-in link for the profile, made by the agent with its session. A secret: it
   * signs in whoever has it. The caller checks it against the console allowlist before use.
   */
  async consoleLink(profile: string, request: ConsoleLinkRequest): Promise<string> {
    let answer: unknown;
    try {
      answer = await this.call('POST', '/console', { profile, ...request });
    } catch (error) {
      if (error instanceof UserFacingError && isUnknownPath(error)) {
        throw new UserFacingError(OUTDATED, 'AWS Auth Tray (the app, or aws-auth-tray serve) is an older version that does not open the console for the command line; update it.', { cause: error });
      }
      throw error;
    }
    const url = (answer as { url?: unknown }).url;
    if (typeof url !== 'string') throw new UserFacingError('app-channel', 'AWS Auth Tray answered without a console link; restart the app.');
    return url;
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
