import { spawn } from 'node:child_process';
import { buildApp } from './build-app.js';
import { ensureElectron } from './electron-binary.js';

/**
 * npm start: build the app and run it in Electron. The Electron package downloads its binary on
 * the first start (it has no install script since Electron 42): that happens here, saying so, and
 * where the download cannot work (offline) a sentence says what to do instead of Electron's own
 * advice to delete node_modules/electron, which fails again.
 */
const electron = await ensureElectron('npm start');
await buildApp();
const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
