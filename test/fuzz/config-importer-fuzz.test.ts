/**
 * Fuzzes the config importer (main/core/profiles): for arbitrary config and credentials files,
 * random text and INI-shaped files built from the fragments real files and hostile ones are made
 * of (headers with odd spacing and quotes, [DEFAULT], duplicates, nested blocks, continuation
 * lines, comments, CR/CRLF, control characters, Unicode whitespace, source_profile and
 * include_profile chains and loops), `importAwsConfig` either resolves, with problems as
 * sentences, or rejects with a UserFacingError; never another exception, never past a time
 * bound; and no problem or error carries a fragment of the secret access keys in the files, nor
 * a raw control character.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { importAwsConfig } from '../../main/core/profiles/aws-config-import.js';
import { isUserFacingError } from '../../main/core/user-facing-error.js';
import { CONTROL_CHARACTER, errorTexts, SecretFragments, Tally, within } from './fuzz-support.js';

const RUNS = 10_000;
const RUN_BOUND_MS = 2_000;
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SECRET_TWO = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
const fragments = new SecretFragments([SECRET, SECRET_TWO]);

// tmpfs where there is one: each run writes two small files.
const base = process.platform === 'linux' ? '/dev/shm' : tmpdir();
const dir = mkdtempSync(join(base, 'aat-import-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const names = fc.constantFrom('default', 'security', 'dev', 'prod', 'a b', 'Dev', 'x'.repeat(70), '', 'constructor', '__proto__', 'sso');
const space = fc.constantFrom('', ' ', '  ', '\t', '\u00a0', '\u2003', '\u000b');
const eol = fc.constantFrom('\n', '\r\n', '\r');
const header = fc.oneof(
  fc.tuple(space, names, space).map(([a, n, b]) => `[profile${a || ' '}${n}${b}]`),
  fc.tuple(names).map(([n]) => `[${n}]`),
  fc.tuple(names).map(([n]) => `[profile "${n}"]`),
  fc.constantFrom('[DEFAULT]', '[default]', '[sso-session corp]', '[profile]', '[', ']', '[[x]]', '[profile a] trailing', '[services s]'),
);
const key = fc.constantFrom(
  'role_arn',
  'source_profile',
  'mfa_serial',
  'region',
  'external_id',
  'role_session_name',
  'duration_seconds',
  'include_profile',
  'aws_access_key_id',
  'credential_process',
  'sso_session',
  's3',
  'Region',
  'unknown_key',
);
const valueText = fc.oneof(
  names,
  fc.constantFrom(
    'arn:aws:iam::222222222222:role/engineer',
    'arn:aws:iam::111111111111:mfa/alice',
    'arn:aws:iam::1234:mfa/alice',
    'eu-west-1',
    'eu-west-1 # comment',
    '3600',
    '-1',
    '99999999999999999999',
    'AKIAEXAMPLEEXAMPLE01',
    '\u001b]0;pwned\u0007',
    'a\u0000b',
    '"quoted"',
  ),
  fc.string({ maxLength: 40 }),
);
/** A secret is a secret where it is one: as the value of a secret key (elsewhere echoing a value is right). */
const secretLine = fc.tuple(space, fc.constantFrom('aws_secret_access_key', 'aws_session_token', 'AWS_SECRET_ACCESS_KEY'), space, fc.constantFrom('=', ':', ' = '), space, fc.constantFrom(SECRET, SECRET_TWO, `${SECRET} # note`, ` ${SECRET_TWO}\u0000`)).map((p) => p.join(''));
const line = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(space, key, space, fc.constantFrom('=', ':', ' = ', '=='), space, valueText).map((p) => p.join('')) },
  { weight: 2, arbitrary: secretLine },
  { weight: 2, arbitrary: header },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('  ', '\t'), key, fc.constantFrom(' = ', ''), valueText).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', '# comment', '; comment', '   ', 'not a key value line', '\ufeff[profile bom]') },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);
const iniFile = fc.tuple(fc.array(fc.tuple(line, eol), { maxLength: 40 })).map(([lines]) => lines.map(([l, e]) => l + e).join(''));
/** Long chains: source_profile or include_profile through many profiles, sometimes a loop. */
const chainFile = fc.tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom('source_profile', 'include_profile'), fc.boolean()).map(([n, link, loop]) => {
  const sections = Array.from({ length: n }, (_, i) => `[profile p${i}]\n${link} = p${i + 1 < n ? i + 1 : loop ? 0 : i + 1}\nrole_arn = arn:aws:iam::222222222222:role/r${i}\n`);
  return `[profile p${n}]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = ${SECRET}\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n${sections.join('')}`;
});
const anyFile = fc.oneof({ weight: 6, arbitrary: iniFile }, { weight: 1, arbitrary: chainFile }, { weight: 1, arbitrary: fc.string({ maxLength: 400 }) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')) });

const tally = new Tally();
afterAll(() => console.log(tally.summary('config importer')));

describe('config importer, fuzzed', () => {
  it(`${RUNS} generated config and credentials files: sentences or a UserFacingError, never a secret, a raw control character or a hang`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(anyFile, fc.option(anyFile, { nil: undefined }), async (config, credentials) => {
        n += 1;
        const configFile = join(dir, `config-${n % 8}`);
        const credentialsFile = join(dir, `credentials-${n % 8}`);
        writeFileSync(configFile, config);
        if (credentials !== undefined) writeFileSync(credentialsFile, credentials);
        else rmSync(credentialsFile, { force: true });
        const started = performance.now();
        const outcome = await within(RUN_BOUND_MS, 'importAwsConfig', () => importAwsConfig({ configFile, credentialsFile })).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        tally.time(performance.now() - started);
        if ('error' in outcome) {
          if (!isUserFacingError(outcome.error)) throw new Error(`not a UserFacingError: ${String(outcome.error)}`);
          tally.count('refused');
          for (const text of errorTexts(outcome.error)) {
            expect(fragments.find(text), 'a secret fragment in an error').toBeUndefined();
          }
          expect(CONTROL_CHARACTER.test(outcome.error.message), `a raw control character in ${JSON.stringify(outcome.error.message)}`).toBe(false);
          return;
        }
        tally.count(outcome.value.problems.length > 0 ? 'imported-with-problems' : 'imported');
        for (const problem of outcome.value.problems) {
          expect(fragments.find(problem.message), 'a secret fragment in a problem').toBeUndefined();
          expect(CONTROL_CHARACTER.test(problem.message), `a raw control character in ${JSON.stringify(problem.message)}`).toBe(false);
        }
        // What was imported is what the vault will take: no control characters anywhere.
        for (const profile of outcome.value.profiles) expect(CONTROL_CHARACTER.test(JSON.stringify(profile).replace(/\\u00[0-9a-f]{2}/g, '')), JSON.stringify(profile)).toBe(false);
      }),
      { numRuns: RUNS },
    );
    // Not vacuous: every kind of outcome happened.
    expect(tally.get('refused')).toBeGreaterThan(0);
    expect(tally.get('imported') + tally.get('imported-with-problems')).toBeGreaterThan(RUNS / 50);
  }, 240_000);
});
