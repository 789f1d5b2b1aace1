import type { Server } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';

/**
 * Keeps a local server answering under a flood of idle connections (tens of thousands of
 * half-open sockets made the user's own requests fail for a minute): at most `cap` connections
 * are open; when another arrives, the oldest one that has not sent a request is dropped to make
 * room (the user's client sends its request at once, an idle flood never does), and only if every
 * connection is busy is the newcomer refused. Headers must arrive within 5 s and the whole request
 * within 10 s; the answer itself may take as long as the user needs to type an MFA code.
 */
export const CONNECTION_CAP = 256;
export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 10_000;
/** How often Node checks those two timeouts (its default, 30 s, would let idle sockets linger). */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/** Marks a connection busy (its request arrived) or idle again (answered, kept alive). */
export interface ConnectionCap {
  busy(socket: Socket): void;
  idle(socket: Socket): void;
}

/**
 * At most `cap` open connections on `server` (an HTTP server or the app channel's): a newcomer
 * beyond it drops the oldest idle connection, or is refused when every one is busy.
 */
export function capConnections(server: NetServer, cap = CONNECTION_CAP): ConnectionCap {
  /** Open connections; `idle` are those not in the middle of a request, oldest first. */
  const open = new Set<Socket>();
  const idle = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    socket.once('close', () => {
      open.delete(socket);
      idle.delete(socket);
    });
    if (open.size >= cap) {
      const oldest = idle.values().next().value;
      if (oldest === undefined) {
        socket.destroy();
        return;
      }
      oldest.destroy();
      open.delete(oldest);
      idle.delete(oldest);
    }
    open.add(socket);
    idle.add(socket);
  });
  return {
    busy: (socket) => idle.delete(socket),
    // Back among the idle (at the end: the youngest), for keep-alive.
    idle: (socket) => {
      if (open.has(socket)) idle.add(socket);
    },
  };
}

/** The cap and the timeouts on an HTTP server. */
export function guardConnections(server: Server, cap = CONNECTION_CAP): void {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  const connections = capConnections(server, cap);
  server.on('request', (req: { socket: Socket }, res: { once(event: 'finish', listener: () => void): unknown }) => {
    const socket = req.socket;
    connections.busy(socket);
    res.once('finish', () => connections.idle(socket));
  });
}
