import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoRefreshSetup, type AutoRefreshFormat } from '../../../main/core/exports/auto-refresh-setup.js';
import { formatCredentials, type ExportableCredentials, type ExportFormat } from '../../../main/core/exports/credential-exports.js';
import { CONTROL_CHARACTERS } from '../../../main/core/exports/shell-quoting.js';
import { isUserFacingError } from '../../../main/core/user-facing-error.js';
import { findAwsCliV2, isolatedAwsEnv } from '../../support/aws-cli.js';
import { findShell, sourceAndPrintEnv, type ShellName } from '../../support/shells.js';

/**
 * Every export format, and the auto-refresh setup, against values a hostile or broken config file
 * can carry (a region is read from ~/.aws/config): each one comes out of the real shell, parser
 * or tool exactly as it went in, or is refused with a sentence (code `unsafe-value`); nothing is
 * ever run. bash, zsh and fish are real; PowerShell and cmd are checked against their quoting
 * rules at the tokenizer level; dotenv with the dotenv package; ini with the AWS CLI v2.
 */
const HOSTILE: readonly string[] = [
  `it's`,
  '\u2018smart\u2019 \u201alow\u201b quotes',
  `'\u2019; touch pwned; \u2018'`,
  '"double" quotes',
  '$(touch pwned) ${HOME} $HOME',
  '`touch pwned`',
  'line one\nline two',
  'carriage\rreturn',
  'eu-west-1\r[default]\rcredential_process = touch pwned',
  '%PATH% %USERPROFILE%',
  '^ & | < > ( )',
  '!bang! !!',
  'tab\there',
  'back\\slash\\',
  'é ☃ 中文 😀',
  '\u0085next line \u2028 line separator',
  '-n',
  '',
];

const BASE: ExportableCredentials = {
  accessKeyId: 'ASIAQEXAMPLE7ABCDEFG',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE+token/with=',
  expiration: new Date('2026-11-26T16:00:00Z'),
  region: 'eu-west-1',
};

/** The text, or undefined when the format cannot carry the value (a sentence, never the value). */
function attempt(render: () => string, value: string): string | undefined {
  try {
    return render();
  } catch (error) {
    expect(isUserFacingError(error) && error.code === 'unsafe-value', String(error)).toBe(true);
    if (value.length >= 4) expect((error as Error).message).not.toContain(value);
    return undefined;
  }
}

const refusedByCmd = (value: string): boolean => /["%!^]/.test(value) || CONTROL_CHARACTERS.test(value);
const refusedByDotenv = (value: string): boolean => value.includes("'") || CONTROL_CHARACTERS.test(value);

const SHELLS: readonly ShellName[] = ['bash', 'zsh', 'fish'];

describe('real shells: every hostile value round-trips exactly, as a region and as a secret', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hostile-exports-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const shell of SHELLS) {
    const found = findShell(shell);
    it.skipIf('missing' in found)(`${shell}${'missing' in found ? ` (skipped: ${found.missing})` : ''}`, async () => {
      if ('missing' in found) return;
      let i = 0;
      for (const value of HOSTILE.filter((v) => v !== '')) {
        i += 1;
        const credentials = { ...BASE, region: value, secretAccessKey: value };
        const file = join(dir, `${shell}-${i}.sh`);
        await writeFile(file, formatCredentials(shell satisfies ExportFormat, credentials), { mode: 0o600 });
        const env = await sourceAndPrintEnv(shell, found.path, file, { home: dir, cwd: dir, awsProfile: 'old' });
        expect(env.get('AWS_REGION'), `${shell}: ${JSON.stringify(value)}`).toBe(value);
        expect(env.get('AWS_SECRET_ACCESS_KEY'), `${shell}: ${JSON.stringify(value)}`).toBe(value);
        // The auto-refresh setup, with the same region.
        const setup = join(dir, `${shell}-${i}-auto.sh`);
        await writeFile(setup, autoRefreshSetup(shell satisfies AutoRefreshFormat, { profile: 'dev', endpoint: 'http://127.0.0.1:47821', token: 'abc', region: value }), { mode: 0o600 });
        const env2 = await sourceAndPrintEnv(shell, found.path, setup, { home: dir, cwd: dir, awsProfile: 'old' });
        expect(env2.get('AWS_REGION'), `${shell} auto-refresh: ${JSON.stringify(value)}`).toBe(value);
      }
    });
  }
});

/**
 * PowerShell's single-quoted string (about_Quoting_Rules, the language specification's
 * verbatim-string-literal): it opens and closes on any of ' ‘ ’ ‚ ‛, and two of them in a row stand
 * for one. Parses the whole output as `$Env:NAME = '…'` and `Remove-Item Env:NAME …` statements;
 * anything else in it would be code.
 */
const PS_QUOTE = /['\u2018\u2019\u201a\u201b]/;
function parsePowershell(text: string): Map<string, string> {
  const env = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    const assign = /^\$Env:([A-Z_]+) = /.exec(text.slice(i));
    if (assign) {
      i += assign[0].length;
      if (!PS_QUOTE.test(text[i] ?? '')) throw new Error(`not a single-quoted string at ${i}`);
      i += 1;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new Error('unterminated string');
        const c = text[i] ?? '';
        if (PS_QUOTE.test(c)) {
          if (PS_QUOTE.test(text[i + 1] ?? '')) {
            value += text[i + 1];
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += c;
        i += 1;
      }
      if (text[i] !== '\n') throw new Error(`code after the string at ${i}: ${JSON.stringify(text.slice(i, i + 20))}`);
      i += 1;
      env.set(assign[1] ?? '', value);
      continue;
    }
    const remove = /^Remove-Item Env:[A-Z_]+ -ErrorAction SilentlyContinue\n/.exec(text.slice(i));
    if (!remove) throw new Error(`unexpected text at ${i}: ${JSON.stringify(text.slice(i, i + 30))}`);
    i += remove[0].length;
  }
  return env;
}

/**
 * cmd.exe's `set "NAME=value"` line: % expands before anything else (and ! with delayed
 * expansion), a " toggles quoting, a line break ends the command, and inside the quotes & | < >
 * ^ ( ) are literal. A line is safe only if the value has none of the expanding characters and
 * no quote, and the line holds exactly one quoted argument.
 */
function parseCmd(text: string): Map<string, string> {
  const env = new Map<string, string>();
  expect(text.endsWith('\r\n')).toBe(true);
  for (const line of text.slice(0, -2).split('\r\n')) {
    const match = /^set "([A-Z_]+)=([^"%!\r\n]*)"$/.exec(line);
    if (!match) throw new Error(`not a literal set command: ${JSON.stringify(line)}`);
    env.set(match[1] ?? '', match[2] ?? '');
  }
  return env;
}

describe('PowerShell, cmd and dotenv: every hostile value is exact or refused, never code', () => {
  for (const value of HOSTILE) {
    it(JSON.stringify(value), () => {
      const credentials = { ...BASE, region: value || undefined, secretAccessKey: value || 'x' };
      const target = { profile: 'dev', endpoint: 'http://127.0.0.1:47821', token: 'abc', region: value || undefined };

      for (const text of [attempt(() => formatCredentials('powershell', credentials), value), attempt(() => autoRefreshSetup('powershell', target), value)]) {
        // PowerShell can carry every value.
        expect(text).toBeDefined();
        if (text !== undefined && value !== '') expect(parsePowershell(text).get('AWS_REGION')).toBe(value);
      }

      for (const text of [attempt(() => formatCredentials('cmd', credentials), value), attempt(() => autoRefreshSetup('cmd', target), value)]) {
        expect(text === undefined, 'refused exactly when cmd cannot take it literally').toBe(refusedByCmd(value));
        if (text === undefined) continue;
        if (value !== '') expect(parseCmd(text).get('AWS_REGION')).toBe(value);
      }

      for (const text of [attempt(() => formatCredentials('dotenv', credentials), value), attempt(() => autoRefreshSetup('dotenv', target), value)]) {
        expect(text === undefined, 'refused exactly when dotenv cannot take it literally').toBe(refusedByDotenv(value));
        if (text === undefined) continue;
        const parsed = parseDotenv(text);
        if (value !== '') expect(parsed.AWS_REGION).toBe(value);
        expect(Object.keys(parsed)).not.toContain('AWS_PROFILE');
      }
    });
  }
});

describe('ini, read back by the AWS CLI v2', () => {
  const cli = findAwsCliV2();
  it.skipIf('missing' in cli)(`every value is exact or refused; a carriage return never starts a new section${'missing' in cli ? ` (skipped: ${cli.missing})` : ''}`, { timeout: 120_000 }, async () => {
    if ('missing' in cli) return;
    const home = await mkdtemp(join(tmpdir(), 'hostile-ini-'));
    try {
      await writeFile(join(home, 'config'), '');
      for (const value of HOSTILE.filter((v) => v.trim() === v && v !== '')) {
        const text = attempt(() => formatCredentials('ini', { ...BASE, profile: 'dev', secretAccessKey: value, region: value }), value);
        expect(text === undefined, 'refused exactly when a line break or control character would split the line').toBe(CONTROL_CHARACTERS.test(value));
        if (text === undefined) continue;
        await writeFile(join(home, 'credentials'), text);
        const { stdout } = await promisify(execFile)(cli.path, ['configure', 'get', 'aws_secret_access_key', '--profile', 'dev'], { env: isolatedAwsEnv(home), encoding: 'utf8' });
        expect(stdout, JSON.stringify(value)).toBe(`${value}\n`);
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
