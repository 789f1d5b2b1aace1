import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Random bytes from the operating system's generator. On Linux and macOS that is /dev/urandom,
 * read directly: `node:crypto` would give the same bytes, but loading it starts OpenSSL, 15 ms of
 * the command line's hot path (app-channel-auth.ts). Elsewhere (Windows), or if the device
 * cannot be read, `node:crypto`'s generator.
 */
export function randomBytesOfTheSystem(size: number): Uint8Array {
  if (process.platform !== 'win32') {
    let fd: number | undefined;
    try {
      fd = openSync('/dev/urandom', 'r');
      const buffer = Buffer.alloc(size);
      let filled = 0;
      while (filled < size) {
        const read = readSync(fd, buffer, filled, size - filled, null);
        if (read <= 0) throw new Error('short read from /dev/urandom');
        filled += read;
      }
      return buffer;
    } catch {
      // fall through to node:crypto
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return process.getBuiltinModule('node:crypto').randomBytes(size);
}
