import { randomBytes } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { UserFacingError } from '../user-facing-error.js';
import { ChannelRequestVerifier, signResponse } from './app-channel-auth.js';
import { encodeAnswer, readRequest, UNSIGNED, type ChannelAnswerFrame, type ChannelRequestFrame, type FrameProblem } from './app-channel-frames.js';
import { capConnections, REQUEST_TIMEOUT_MS, type ConnectionCap } from './connection-guard.js';
import { answerRoute, parseTarget, UNKNOWN_PATH, type CredentialServerOptions } from './credential-routes.js';
import { ensurePrivateDirectory, removeStaleSocket, writePrivateFile } from './private-directory.js';
import type { RunningServer } from './running-server.js';

/**
 * The app channel: how the command line asks the running app (or `aws-auth-tray serve`) for
 * credentials and verifications, so that one MFA prompt and one unlocked vault serve every
 * terminal. A Unix socket (0600, in a directory proven to be the user's own, 0700) or a Windows
 * named pipe, with a fresh token for each run written where only the user can read it.
 *
 * Each connection carries one request and its answer (app-channel-frames.ts). A request is
 * answered only when it is signed with the token, fresh and not a replay; every answer to it is
 * signed back (app-channel-auth.ts), so neither end trusts the socket's location alone. A
 * connection must deliver its whole request within 10 s; the answer may take as long as the
 * person typing an MFA code needs. At most 256 connections are open (connection-guard.ts).
 */
export interface AppChannelLocation {
  socketPath: string;
  tokenFile: string;
}

function unsigned(status: number, message: string): ChannelAnswerFrame {
  return { status, proof: UNSIGNED, body: Buffer.from(JSON.stringify({ message })) };
}

const REFUSALS: Record<FrameProblem, ChannelAnswerFrame> = {
  'not-this-protocol': unsigned(400, "This is AWS Auth Tray's app channel; only its own command line speaks here (update aws-auth-tray if it is older than the app)."),
  malformed: unsigned(400, 'The request is not a well-formed AWS Auth Tray app channel request.'),
  'too-large': unsigned(413, 'The request is too large.'),
};

/** One request's answer: refused unsigned unless genuine; otherwise the routes' answer, signed. */
export function channelAnswerer(options: CredentialServerOptions, token: string, verifier: ChannelRequestVerifier): (request: ChannelRequestFrame) => Promise<ChannelAnswerFrame> {
  return async ({ method, target, authorization, body }) => {
    const nonce = verifier.verify(authorization, { method, path: target, body });
    if (nonce === undefined) return unsigned(403, 'This request is not signed with the app channel token of the running AWS Auth Tray (or it was replayed); run the command again.');
    const url = parseTarget(target);
    let answer = UNKNOWN_PATH;
    let text: Buffer;
    try {
      if (url) answer = await answerRoute(options, { method, url, body }, { patient: true });
      text = Buffer.from(JSON.stringify(answer.body));
    } catch {
      answer = { status: 500, body: undefined };
      text = Buffer.from(JSON.stringify({ message: 'AWS Auth Tray failed while answering.' }));
    }
    return { status: answer.status, proof: signResponse(token, nonce, answer.status, text), body: text };
  };
}

/**
 * The answer to what a connection sent, once it is a whole request (undefined while more must
 * come): a refusal for what is not one well-formed request, or `answer`'s.
 */
export function answerBytes(answer: (request: ChannelRequestFrame) => Promise<ChannelAnswerFrame>, data: Buffer): Promise<ChannelAnswerFrame> | undefined {
  const reading = readRequest(data);
  if (reading.state === 'partial') return undefined;
  if (reading.state === 'invalid') return Promise.resolve(REFUSALS[reading.reason]);
  // One request per connection: anything after it means the client does not speak this protocol.
  if (reading.rest > 0) return Promise.resolve(REFUSALS.malformed);
  return answer(reading.frame);
}

/** Reads one request from a connection, answers it and closes. */
function serveConnection(socket: Socket, answer: (request: ChannelRequestFrame) => Promise<ChannelAnswerFrame>, connections: ConnectionCap): void {
  let data: Buffer = Buffer.alloc(0);
  const deadline = setTimeout(() => socket.destroy(), REQUEST_TIMEOUT_MS);
  socket.on('error', () => undefined); // the client went away; nothing to tell anyone
  socket.once('close', () => clearTimeout(deadline));
  const reply = (frame: ChannelAnswerFrame): void => {
    if (!socket.destroyed) socket.end(encodeAnswer(frame));
  };
  const onData = (chunk: Buffer): void => {
    data = data.length === 0 ? chunk : Buffer.concat([data, chunk]);
    const answered = answerBytes(answer, data);
    if (answered === undefined) return;
    socket.off('data', onData);
    clearTimeout(deadline);
    connections.busy(socket);
    answered.then(reply, () => socket.destroy());
  };
  socket.on('data', onData);
}

/** Whether something accepts connections on the Unix socket at `path` (false for a stale one). */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts the app channel. Refuses with a sentence when the directory or a file in it belongs to
 * someone else, or when another AWS Auth Tray already answers there.
 */
export async function startAppChannel(options: CredentialServerOptions, location: AppChannelLocation): Promise<RunningServer> {
  const token = randomBytes(32).toString('base64url');
  const posix = process.platform !== 'win32';
  const taken = (cause?: unknown): UserFacingError =>
    new UserFacingError(
      'app-channel-taken',
      `Another program already listens on ${location.socketPath}, where AWS Auth Tray meets the command line (another AWS Auth Tray app or aws-auth-tray serve, most likely); the command line keeps asking that one. Quit it and start this one again to make this one answer.`,
      cause === undefined ? undefined : { cause },
    );
  if (posix) {
    ensurePrivateDirectory(dirname(location.socketPath));
    // A live listener (the app, or serve in another session) keeps its socket; only a socket left
    // by a crashed run, which nobody answers on, is removed.
    if (await socketAnswers(location.socketPath)) throw taken();
    removeStaleSocket(location.socketPath);
  }
  const answer = channelAnswerer(options, token, new ChannelRequestVerifier(() => token));
  const server = createServer();
  const connections = capConnections(server);
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    serveConnection(socket, answer, connections);
  });
  const close = (cleanup: () => void): Promise<void> =>
    new Promise<void>((resolve) => {
      server.close(() => {
        cleanup();
        resolve();
      });
      for (const socket of open) socket.destroy();
    });
  try {
    await listen(server, location.socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw taken(error);
    throw error;
  }
  if (posix) chmodSync(location.socketPath, 0o600);
  try {
    writePrivateFile(location.tokenFile, token);
  } catch (error) {
    await close(() => undefined);
    throw error;
  }
  return {
    address: location.socketPath,
    port: undefined,
    close: () =>
      close(() => {
        if (posix) rmSync(location.socketPath, { force: true });
        rmSync(location.tokenFile, { force: true });
      }),
  };
}
