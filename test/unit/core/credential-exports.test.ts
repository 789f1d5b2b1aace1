import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CLEARED_VARIABLES,
  EXPORT_FORMATS,
  credentialVariables,
  formatCredentials,
  isExportFormat,
  type ExportableCredentials,
  type ExportFormat,
} from '../../../main/core/exports/credential-exports.js';
import { findShell, sourceAndPrintEnv, type ShellName } from '../../support/shells.js';

/**
 * Credentials as text for every shell and tool: the exact text of each format, and then the real
 * bash, zsh and fish sourcing it, with values full of characters a shell would love to interpret.
 */

const CREDENTIALS: ExportableCredentials = {
  accessKeyId: 'ASIAQEXAMPLE7ABCDEFG',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE+token/with=',
  // Milliseconds are dropped: AWS and the SDKs write whole seconds.
  expiration: new Date('2026-11-26T16:00:00.789Z'),
  region: 'eu-west-1',
};
const NO_REGION: ExportableCredentials = { ...CREDENTIALS, region: undefined };

const EXPECTED: Record<ExportFormat, string> = {
  bash: [
    "export AWS_ACCESS_KEY_ID='ASIAQEXAMPLE7ABCDEFG'",
    "export AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'",
    "export AWS_SESSION_TOKEN='IQoJb3JpZ2luX2VjEXAMPLE+token/with='",
    "export AWS_CREDENTIAL_EXPIRATION='2026-11-26T16:00:00Z'",
    "export AWS_REGION='eu-west-1'",
    "export AWS_DEFAULT_REGION='eu-west-1'",
    'unset AWS_PROFILE',
    '',
  ].join('\n'),
  zsh: [
    "export AWS_ACCESS_KEY_ID='ASIAQEXAMPLE7ABCDEFG'",
    "export AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'",
    "export AWS_SESSION_TOKEN='IQoJb3JpZ2luX2VjEXAMPLE+token/with='",
    "export AWS_CREDENTIAL_EXPIRATION='2026-11-26T16:00:00Z'",
    "export AWS_REGION='eu-west-1'",
    "export AWS_DEFAULT_REGION='eu-west-1'",
    'unset AWS_PROFILE',
    '',
  ].join('\n'),
  fish: [
    "set -gx AWS_ACCESS_KEY_ID 'ASIAQEXAMPLE7ABCDEFG'",
    "set -gx AWS_SECRET_ACCESS_KEY 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'",
    "set -gx AWS_SESSION_TOKEN 'IQoJb3JpZ2luX2VjEXAMPLE+token/with='",
    "set -gx AWS_CREDENTIAL_EXPIRATION '2026-11-26T16:00:00Z'",
    "set -gx AWS_REGION 'eu-west-1'",
    "set -gx AWS_DEFAULT_REGION 'eu-west-1'",
    'set -e AWS_PROFILE',
    '',
  ].join('\n'),
  powershell: [
    "$Env:AWS_ACCESS_KEY_ID = 'ASIAQEXAMPLE7ABCDEFG'",
    "$Env:AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'",
    "$Env:AWS_SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE+token/with='",
    "$Env:AWS_CREDENTIAL_EXPIRATION = '2026-11-26T16:00:00Z'",
    "$Env:AWS_REGION = 'eu-west-1'",
    "$Env:AWS_DEFAULT_REGION = 'eu-west-1'",
    'Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue',
    '',
  ].join('\n'),
  cmd: [
    'set "AWS_ACCESS_KEY_ID=ASIAQEXAMPLE7ABCDEFG"',
    'set "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    'set "AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEXAMPLE+token/with="',
    'set "AWS_CREDENTIAL_EXPIRATION=2026-11-26T16:00:00Z"',
    'set "AWS_REGION=eu-west-1"',
    'set "AWS_DEFAULT_REGION=eu-west-1"',
    'set "AWS_PROFILE="',
    '',
  ].join('\r\n'),
  dotenv: [
    'AWS_ACCESS_KEY_ID=ASIAQEXAMPLE7ABCDEFG',
    'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEXAMPLE+token/with=',
    'AWS_CREDENTIAL_EXPIRATION=2026-11-26T16:00:00Z',
    'AWS_REGION=eu-west-1',
    'AWS_DEFAULT_REGION=eu-west-1',
    '',
  ].join('\n'),
  json: '{"Version":1,"AccessKeyId":"ASIAQEXAMPLE7ABCDEFG","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","SessionToken":"IQoJb3JpZ2luX2VjEXAMPLE+token/with=","Expiration":"2026-11-26T16:00:00Z"}\n',
  ini: [
    '[default]',
    'aws_access_key_id = ASIAQEXAMPLE7ABCDEFG',
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'aws_session_token = IQoJb3JpZ2luX2VjEXAMPLE+token/with=',
    'region = eu-west-1',
    '# expires 2026-11-26T16:00:00Z',
    '',
  ].join('\n'),
};

const SHELL_FORMATS = ['bash', 'zsh', 'fish', 'powershell', 'cmd', 'dotenv'] as const satisfies readonly ExportFormat[];

/** What `credential_process` must print (AWS CLI / SDK contract). */
const credentialProcessOutput = z
  .object({
    Version: z.literal(1),
    AccessKeyId: z.string().min(1),
    SecretAccessKey: z.string().min(1),
    SessionToken: z.string().min(1),
    Expiration: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
  })
  .strict();

describe('formatCredentials: exact text', () => {
  it('knows exactly these formats', () => {
    expect(EXPORT_FORMATS).toEqual(['bash', 'zsh', 'fish', 'powershell', 'cmd', 'dotenv', 'json', 'ini']);
    for (const format of EXPORT_FORMATS) expect(isExportFormat(format)).toBe(true);
    for (const other of ['sh', 'Bash', 'pwsh', 'env', '', 'toString']) expect(isExportFormat(other)).toBe(false);
  });

  it.each(EXPORT_FORMATS)('%s, with a region', (format) => {
    expect(formatCredentials(format, CREDENTIALS)).toBe(EXPECTED[format]);
  });

  it.each(EXPORT_FORMATS)('%s, without a region: no region lines', (format) => {
    const text = formatCredentials(format, NO_REGION);
    expect(text).not.toMatch(/REGION|region/);
    const eol = format === 'cmd' ? '\r\n' : '\n';
    const expected = EXPECTED[format]
      .split(eol)
      .filter((line) => !/REGION|^region = /.test(line))
      .join(eol);
    expect(text).toBe(expected);
  });

  it('cmd uses CRLF line ends only', () => {
    const text = formatCredentials('cmd', CREDENTIALS);
    expect(text.split('\r\n')).toHaveLength(8);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it.each(SHELL_FORMATS.filter((f) => f !== 'dotenv'))('%s clears AWS_PROFILE, after setting the credentials', (format) => {
    expect(CLEARED_VARIABLES).toEqual(['AWS_PROFILE']);
    const lines = formatCredentials(format, CREDENTIALS).trimEnd().split(/\r?\n/);
    expect(lines.at(-1)).toContain('AWS_PROFILE');
    expect(lines.filter((line) => line.includes('AWS_PROFILE'))).toHaveLength(1);
  });

  it('dotenv writes no empty AWS_PROFILE (the AWS CLI and boto3 reject a profile named "")', () => {
    expect(formatCredentials('dotenv', CREDENTIALS)).not.toContain('AWS_PROFILE');
  });

  it('the variables, in order, with and without a region', () => {
    expect(credentialVariables(CREDENTIALS)).toEqual([
      ['AWS_ACCESS_KEY_ID', 'ASIAQEXAMPLE7ABCDEFG'],
      ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
      ['AWS_SESSION_TOKEN', 'IQoJb3JpZ2luX2VjEXAMPLE+token/with='],
      ['AWS_CREDENTIAL_EXPIRATION', '2026-11-26T16:00:00Z'],
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_DEFAULT_REGION', 'eu-west-1'],
    ]);
    expect(credentialVariables(NO_REGION).map(([name]) => name)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION']);
  });

  it('json is what credential_process must print: Version 1, ISO 8601 Expiration', () => {
    const parsed = credentialProcessOutput.parse(JSON.parse(formatCredentials('json', CREDENTIALS)) as unknown);
    expect(parsed).toEqual({
      Version: 1,
      AccessKeyId: CREDENTIALS.accessKeyId,
      SecretAccessKey: CREDENTIALS.secretAccessKey,
      SessionToken: CREDENTIALS.sessionToken,
      Expiration: '2026-11-26T16:00:00Z',
    });
    expect(new Date(parsed.Expiration).getTime()).toBe(Math.floor(CREDENTIALS.expiration.getTime() / 1000) * 1000);
    // credential_process has no region: the JSON never carries one.
    expect(Object.keys(JSON.parse(formatCredentials('json', NO_REGION)) as object)).not.toContain('Region');
  });

  it('json escapes any value correctly', () => {
    const awkward = { ...CREDENTIALS, secretAccessKey: 'a"b\\c\nd\u2028e' };
    expect(credentialProcessOutput.parse(JSON.parse(formatCredentials('json', awkward)) as unknown).SecretAccessKey).toBe('a"b\\c\nd\u2028e');
  });

  it('ini names the profile section when given', () => {
    expect(formatCredentials('ini', { ...CREDENTIALS, profile: 'dev' }).split('\n')[0]).toBe('[dev]');
  });

  it.each(['"', '%', '!', '^', '\r', '\n', '\u0085'])('cmd refuses a value containing %j rather than mangle it (and names the variable, not the value)', (ch) => {
    const secret = `abc${ch}def`;
    let thrown: unknown;
    try {
      formatCredentials('cmd', { ...CREDENTIALS, secretAccessKey: secret });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'unsafe-value', message: expect.stringMatching(/^The value of AWS_SECRET_ACCESS_KEY contains .*, which cmd\.exe cannot take literally;/) as unknown });
    expect((thrown as Error).message).not.toContain('abc');
  });

  it('quotes awkward values for each shell', () => {
    const awkward = { ...CREDENTIALS, secretAccessKey: `it's "$HOME"\\` };
    expect(formatCredentials('bash', awkward)).toContain(`export AWS_SECRET_ACCESS_KEY='it'\\''s "$HOME"\\'\n`);
    expect(formatCredentials('fish', awkward)).toContain(`set -gx AWS_SECRET_ACCESS_KEY 'it\\'s "$HOME"\\\\'\n`);
    expect(formatCredentials('powershell', awkward)).toContain(`$Env:AWS_SECRET_ACCESS_KEY = 'it''s "$HOME"\\'\n`);
    // A single quote has no spelling every dotenv loader reads alike: refused, not mangled.
    expect(() => formatCredentials('dotenv', awkward)).toThrow(/contains a single quote or a control character, which a dotenv file cannot take literally/);
    expect(formatCredentials('dotenv', { ...CREDENTIALS, secretAccessKey: 'a "b" $HOME \\ c' })).toContain(`AWS_SECRET_ACCESS_KEY='a "b" $HOME \\ c'\n`);
  });
});

/**
 * Values a shell would interpret unless quoted right: quotes of both kinds, `$HOME` and `$(...)`,
 * backslashes (also before a quote), spaces and tabs, `;`, `&`, `|`, `#`, globs, backticks, `!`,
 * a newline, and non-ASCII text.
 */
const AWKWARD: ExportableCredentials = {
  accessKeyId: 'ASIA QUOTED;ID`touch pwned-backtick`',
  secretAccessKey: `it's "quoted" $HOME \\ back\\'slash; touch pwned-semicolon & echo | \`touch pwned-backtick\` $(touch pwned-dollar) #not-a-comment *?[x] !! ~ end\\`,
  sessionToken: `line one\nline two\t'tab'\\n é ☃ \\\\ ''`,
  expiration: new Date('2026-11-26T16:00:00.000Z'),
  region: "eu-west-1'; touch pwned-region; '",
};

const SHELLS: readonly ShellName[] = ['bash', 'zsh', 'fish'];

describe('real shells source the export text and get exactly the values', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aws-auth-tray-shells-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const shell of SHELLS) {
    const found = findShell(shell);
    if ('missing' in found) console.warn(`SKIP ${shell} export test: ${found.missing}`);
    const title = 'missing' in found ? `${shell} (skipped: ${found.missing})` : `${shell} (${found.path})`;

    it.skipIf('missing' in found)(title, async () => {
      if ('missing' in found) return;
      const format: ExportFormat = shell;
      for (const [label, credentials] of [
        ['plain', CREDENTIALS],
        ['awkward', AWKWARD],
        ['without a region', NO_REGION],
      ] as const) {
        const file = join(dir, `${shell}-${label.replace(/\W/g, '-')}.sh`);
        await writeFile(file, formatCredentials(format, credentials), { mode: 0o600 });
        const env = await sourceAndPrintEnv(shell, found.path, file, { home: dir, cwd: dir, awsProfile: 'old-profile' });
        for (const [name, value] of credentialVariables(credentials)) {
          expect(env.get(name), `${shell} ${label}: ${name}`).toBe(value);
        }
        expect(env.has('AWS_PROFILE'), `${shell} ${label}: AWS_PROFILE is cleared`).toBe(false);
        if (!credentials.region) {
          expect(env.has('AWS_REGION')).toBe(false);
          expect(env.has('AWS_DEFAULT_REGION')).toBe(false);
        }
      }
      // Nothing in the values was run: no `touch pwned-*` happened in the shell's working directory.
      expect((await readdir(dir)).filter((name) => name.startsWith('pwned'))).toEqual([]);
    });
  }
});
