import { createRequire } from 'node:module';

/**
 * Node.js built-ins for the command line's hot path, loaded as CommonJS. Importing `node:http`
 * or `node:crypto` as an ES module evaluates every export (undici's WebSocket, WebCrypto), which
 * costs about as much as starting Node.js itself; `require` loads only the module. This matters
 * in one place: the process the AWS CLI starts for credential_process on every call.
 */
export const requireBuiltin = createRequire(import.meta.url);
