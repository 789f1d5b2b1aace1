/**
 * Node.js built-ins for the command line's hot path, loaded as CommonJS. Importing `node:http`
 * or `node:crypto` as an ES module evaluates every export (undici's WebSocket, WebCrypto), which
 * costs about as much as starting Node.js itself; `process.getBuiltinModule` loads only the
 * module, and needs neither `import.meta` nor `createRequire`, so the same code runs in the
 * command line's CommonJS entry (scripts/build-cli.ts) and in its ES module chunks. This matters
 * in one place: the process the AWS CLI starts for credential_process on every call.
 */
export function requireBuiltin(id: string): unknown {
  return process.getBuiltinModule(id);
}
