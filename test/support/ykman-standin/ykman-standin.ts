import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REFERENCE_FIXTURE_PATH } from '../reference-fixture.js';

/**
 * Puts the `ykman` stand-in (./ykman, a Node script) on PATH for a test: `env()` is the
 * environment to give the command line or the app (PATH with the stand-in first, and its
 * configuration file), `update()` changes what the "YubiKey" holds between runs (pull it out,
 * add accounts), `touch()` touches it, `calls()` lists the runs' arguments.
 */
export const YKMAN_STANDIN_DIR = new URL('./', import.meta.url).pathname;

export interface StandInAccount {
  /** As ykman lists it: "issuer:name" or "name". */
  name: string;
  /** The fixture's MFA device whose seed it holds... */
  serialNumber?: string;
  /** ...or a seed of its own (a base32 TOTP secret). */
  seed?: string;
  /** Requires touch: prints "Touch your YubiKey..." and waits for touch(). */
  touch?: boolean;
}

export interface StandInConfig {
  emulatorUrl: string;
  accounts: StandInAccount[];
  /** `missing`: "No YubiKey detected!"; `unreachable`: "Failed connecting to the YubiKey." */
  device?: 'present' | 'missing' | 'unreachable';
  /** Milliseconds a touch takes when the test does not touch (default: wait for touch()). */
  touchDelayMs?: number;
}

export interface YkmanStandIn {
  dir: string;
  /** PATH with the stand-in first (before `path`), and its configuration. */
  env(path?: string): Record<string, string>;
  update(change: Partial<StandInConfig>): void;
  /** Touch the key: a waiting `code` answers now. */
  touch(): void;
  /** Every run's arguments, in order. */
  calls(): string[][];
  cleanup(): void;
}

export function ykmanStandIn(config: StandInConfig): YkmanStandIn {
  const dir = mkdtempSync(join(tmpdir(), 'ykman-standin-'));
  const configFile = join(dir, 'config.json');
  const log = join(dir, 'calls.log');
  const touchFile = join(dir, 'touched');
  let current: StandInConfig = { device: 'present', ...config };
  const write = (): void => {
    writeFileSync(configFile, JSON.stringify({ ...current, fixture: REFERENCE_FIXTURE_PATH.pathname, log, ...(current.touchDelayMs === undefined ? { touchFile } : {}) }));
  };
  write();
  writeFileSync(log, '');
  return {
    dir,
    env: (path = process.env.PATH ?? '/usr/bin:/bin') => ({ PATH: `${YKMAN_STANDIN_DIR}${delimiter}${path}`, YKMAN_STANDIN_CONFIG: configFile }),
    update(change) {
      current = { ...current, ...change };
      write();
    },
    touch: () => writeFileSync(touchFile, ''),
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as string[]),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
