import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAwsConfig, type ConfigImport, type ImportedProfile } from '../../main/core/profiles/aws-config-import.js';
import { readAwsProfiles, type AwsProfiles } from '../../main/core/profiles/aws-profile-files.js';
import { isUserFacingError } from '../../main/core/user-facing-error.js';
import { findAwsCliV2 } from '../support/aws-cli.js';
import { configCli, type CliAnswer, type CliCall, type ConfigCli } from './aws-cli-config-runner.js';
import { generatedConfigFiles } from './generated-config-files.js';

/**
 * The import reads ~/.aws/config as the AWS CLI v2 does, proven against the AWS CLI itself.
 *
 * Each case of aws-config-corpus/ is a config file (and maybe a credentials file) of a shape real
 * users write: aws-vault's documented examples, the reference architecture, awsume and Granted
 * style files, SSO sections, CRLF, BOM, tabs, comments, nested blocks, duplicates, hostile ones.
 * For every case the AWS CLI is asked `aws configure list-profiles` and, for every profile it
 * lists, `aws configure get KEY --profile P` for each key that occurs in the files. Then:
 *
 * 1. A file the AWS CLI refuses ("Unable to parse config file") is refused by the import, and
 *    only such a file.
 * 2. The reader (aws-profile-files.ts) lists the same profiles, in the same order, with the same
 *    values for every key: no exceptions allowed, this is the AWS CLI's own reading.
 * 3. The import resolves, for each profile it imports, the same role_arn, mfa_serial, region,
 *    external_id, role_session_name, duration_seconds and source identity (the profile at the
 *    end of the source_profile chain) as the AWS CLI; every profile the AWS CLI can get
 *    credentials for is imported or named in a problem sentence; nothing the AWS CLI does not
 *    list is imported. Where AWS Auth Tray means to differ (aws-vault's include_profile and
 *    mixins, which the AWS CLI ignores), the difference is listed in ALLOWED with its reason,
 *    and an entry that no longer happens fails too.
 *
 * Then the same questions for generated files (generated-config-files.ts): random mixes of the
 * fragments where INI readers disagree, from a fixed seed; for those the reader (2) must agree.
 */

type ImportField = 'source' | 'roleArn' | 'mfaSerial' | 'region' | 'externalId' | 'roleSessionName' | 'durationSeconds' | 'listed';

interface Allowed {
  case: string;
  profile: string;
  field: ImportField;
  reason: string;
}

const INCLUDE_PROFILE = "include_profile is aws-vault's: the AWS CLI ignores it, aws-vault and AWS Auth Tray take the included profile's settings";
const MIXIN =
  "aws-vault follows source_profile through a profile without role_arn (a mixin adding mfa_serial or region) to the profile with the keys; botocore ignores source_profile there, so for the AWS CLI the mixin has no credentials at all";

/** Every difference between the import and the AWS CLI that is meant, with its reason. */
const ALLOWED: readonly Allowed[] = [
  { case: '04-aws-vault-include-profile', profile: 'engineer', field: 'region', reason: INCLUDE_PROFILE },
  { case: '04-aws-vault-include-profile', profile: 'engineer', field: 'source', reason: MIXIN },
  { case: '04-aws-vault-include-profile', profile: 'dev', field: 'region', reason: INCLUDE_PROFILE },
  { case: '04-aws-vault-include-profile', profile: 'dev', field: 'durationSeconds', reason: INCLUDE_PROFILE },
  { case: '04-aws-vault-include-profile', profile: 'dev', field: 'source', reason: `${INCLUDE_PROFILE} (here source_profile, through engineer)` },
  { case: '04-aws-vault-include-profile', profile: 'prod', field: 'durationSeconds', reason: INCLUDE_PROFILE },
  { case: '04-aws-vault-include-profile', profile: 'prod', field: 'source', reason: `${INCLUDE_PROFILE} (here source_profile, through engineer)` },
  { case: '05-mixin-before-source', profile: 'with-mfa', field: 'source', reason: MIXIN },
  { case: '05-mixin-before-source', profile: 'dev', field: 'source', reason: MIXIN },
  { case: '38-include-profile-problems', profile: 'l2', field: 'region', reason: INCLUDE_PROFILE },
  { case: '38-include-profile-problems', profile: 'l2', field: 'source', reason: `${INCLUDE_PROFILE}; l2 is then a mixin. ${MIXIN}` },
  { case: '38-include-profile-problems', profile: 'l3', field: 'region', reason: INCLUDE_PROFILE },
  { case: '38-include-profile-problems', profile: 'l3', field: 'source', reason: `${INCLUDE_PROFILE} (here source_profile, through l2)` },
];

/** Keys the AWS CLI is asked about, when they occur in a case's files at all (configparser lower-cases keys). */
const ASKED_KEYS = [
  'role_arn',
  'source_profile',
  'mfa_serial',
  'region',
  'external_id',
  'role_session_name',
  'duration_seconds',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'credential_source',
  'credential_process',
  'sso_session',
  'sso_start_url',
  'web_identity_token_file',
  'include_profile',
  's3',
  'output',
] as const;
type AskedKey = (typeof ASKED_KEYS)[number];

/** Keys that give a profile credentials (or a way to them) for the AWS CLI. */
const CREDENTIAL_KEYS: readonly AskedKey[] = [
  'role_arn',
  'source_profile',
  'mfa_serial',
  'aws_access_key_id',
  'aws_secret_access_key',
  'credential_source',
  'credential_process',
  'sso_session',
  'sso_start_url',
  'web_identity_token_file',
];

/** What the import resolves per profile, and the key the AWS CLI reads it from. */
const IMPORT_FIELDS: readonly [Exclude<ImportField, 'source' | 'listed'>, AskedKey][] = [
  ['roleArn', 'role_arn'],
  ['mfaSerial', 'mfa_serial'],
  ['region', 'region'],
  ['externalId', 'external_id'],
  ['roleSessionName', 'role_session_name'],
  ['durationSeconds', 'duration_seconds'],
];
/** Settings of AssumeRole: botocore reads them only for a profile with role_arn, and so does the import. */
const ROLE_FIELDS: ReadonlySet<ImportField> = new Set(['externalId', 'roleSessionName', 'durationSeconds']);

/** Generated files asked about besides the corpus (more, or another seed, locally: CONFORMANCE_GENERATED=1000 CONFORMANCE_SEED=7). */
const GENERATED_FILES = Number(process.env.CONFORMANCE_GENERATED ?? 100);
const GENERATED_SEED = process.env.CONFORMANCE_SEED === undefined ? undefined : Number(process.env.CONFORMANCE_SEED);
/**
 * Questions also asked through the executable, to prove that the batches answer as it does:
 * every how-many-th corpus case and generated file (list-profiles), and how many `get`s.
 * Each costs a whole start of the AWS CLI (~0.4 s of CPU).
 */
const EXECUTABLE_SAMPLE = { corpus: 4, generated: 20, gets: 10 } as const;

/** How a nested block (`s3 =` and indented lines) is compared: `aws configure get` refuses to print one. */
const NESTED = '<nested block>';
const PARSE_ERROR = 'Unable to parse config file';

const CORPUS = new URL('./aws-config-corpus/', import.meta.url).pathname;

interface Case {
  id: string;
  kind: 'corpus' | 'generated';
  configFile: string;
  credentialsFile: string;
  hasCredentials: boolean;
  keys: AskedKey[];
}

interface CliView {
  /** The AWS CLI's stderr when it refused the files. */
  refused?: string;
  profiles: string[];
  values: Map<string, Map<AskedKey, string>>;
}

interface Disagreement {
  profile: string;
  field: ImportField;
  ours: string | undefined;
  cli: string | undefined;
}

const cli = findAwsCliV2();
const skipReason = 'missing' in cli ? cli.missing : undefined;
if (skipReason) console.log(`SKIP AWS CLI config conformance: ${skipReason}`);

function caseOf(id: string, kind: Case['kind'], configFile: string, credentials: string, scratch: string): Case {
  const hasCredentials = existsSync(credentials);
  const text = (readFileSync(configFile, 'utf8') + (hasCredentials ? readFileSync(credentials, 'utf8') : '')).toLowerCase();
  return {
    id,
    kind,
    configFile,
    credentialsFile: hasCredentials ? credentials : join(scratch, `${id}.no-credentials-file`),
    hasCredentials,
    keys: ASKED_KEYS.filter((key) => text.includes(key)),
  };
}

function corpusCases(scratch: string): Case[] {
  return readdirSync(CORPUS)
    .filter((id) => statSync(join(CORPUS, id)).isDirectory())
    .sort()
    .map((id) => caseOf(id, 'corpus', join(CORPUS, id, 'config'), join(CORPUS, id, 'credentials'), scratch));
}

function generatedCases(scratch: string): Case[] {
  return generatedConfigFiles(GENERATED_FILES, GENERATED_SEED).map((file) => {
    const dir = join(scratch, file.id);
    mkdirSync(dir);
    writeFileSync(join(dir, 'config'), file.config);
    if (file.credentials !== undefined) writeFileSync(join(dir, 'credentials'), file.credentials);
    return caseOf(file.id, 'generated', join(dir, 'config'), join(dir, 'credentials'), scratch);
  });
}

const envOf = (c: Case): Record<string, string> => ({ AWS_CONFIG_FILE: c.configFile, AWS_SHARED_CREDENTIALS_FILE: c.credentialsFile });
const listCall = (c: Case): CliCall => ({ env: envOf(c), argv: ['configure', 'list-profiles', '--no-cli-auto-prompt'] });
const getCall = (c: Case, profile: string, key: AskedKey): CliCall => ({ env: envOf(c), argv: ['configure', 'get', key, `--profile=${profile}`, '--no-cli-auto-prompt'] });

/** `aws configure get`: 0 and the value; 1 and nothing when unset; 1 and a complaint for a nested block. */
function getValue(answer: CliAnswer, what: string): string | undefined {
  if (answer.rc === 0) return answer.stdout.endsWith('\n') ? answer.stdout.slice(0, -1) : answer.stdout;
  if (answer.rc === 1 && answer.stderr.includes('must reference a value')) return NESTED;
  if (answer.rc === 1 && answer.stderr === '') return undefined;
  throw new Error(`aws configure get ${what} answered ${answer.rc}: ${answer.stderr}`);
}

/** The profile whose keys the AWS CLI signs in with for `profile` (botocore's AssumeRoleProvider), or undefined. */
function cliSource(view: CliView, profile: string): string | undefined {
  const get = (name: string, key: AskedKey): string | undefined => view.values.get(name)?.get(key);
  if (get(profile, 'role_arn') === undefined) return profile;
  let current = get(profile, 'source_profile');
  const seen = new Set([profile]);
  while (current !== undefined && view.values.has(current)) {
    if (get(current, 'aws_access_key_id') !== undefined || get(current, 'aws_secret_access_key') !== undefined) return current;
    const next = get(current, 'source_profile');
    if (get(current, 'role_arn') === undefined || next === undefined || next === current) return current;
    if (seen.has(current)) return undefined;
    seen.add(current);
    current = next;
  }
  return undefined;
}

const ourValue = (profiles: AwsProfiles, name: string, key: AskedKey): string | undefined => {
  const value = profiles.profiles.get(name)?.values.get(key);
  return value === undefined || typeof value === 'string' ? value : NESTED;
};

describe.skipIf(skipReason !== undefined)(`~/.aws/config read as the AWS CLI v2 reads it${'missing' in cli ? '' : ` (${cli.banner})`}`, () => {
  // Collected even when skipped: only a temporary directory when the AWS CLI is there.
  const scratch = skipReason === undefined ? mkdtempSync(join(tmpdir(), 'aws-config-conformance-')) : tmpdir();
  const corpus = corpusCases(scratch);
  const generated: Case[] = [];
  const cases: Case[] = [...corpus];
  const views = new Map<string, CliView>();
  const used = new Set<Allowed>();
  const compared = { corpus: 0, generated: 0 };
  let runner: ConfigCli | undefined;
  let version = '';
  let questionsAsked = 0;
  let executableChecks = 0;
  const started = Date.now();

  beforeAll(async () => {
    if ('missing' in cli) return;
    version = cli.version;
    runner = configCli(cli, scratch);
    // One process per question (a frozen AWS CLI without its Python) takes minutes for the corpus alone.
    if (runner.batched) generated.push(...generatedCases(scratch));
    else console.log(`AWS CLI config conformance: ${cli.path} is not a Python script, so every question starts it; the generated files are skipped.`);
    cases.push(...generated);
    const lists = await runner.run(cases.map(listCall));
    cases.forEach((c, i) => {
      const list = lists[i] as CliAnswer;
      if (list.rc !== 0) views.set(c.id, { refused: list.stderr.trim(), profiles: [], values: new Map() });
      else views.set(c.id, { profiles: list.stdout.split('\n').slice(0, -1), values: new Map() });
    });
    const questions = cases.flatMap((c) => {
      const view = views.get(c.id);
      if (!view || view.refused !== undefined) return [];
      return view.profiles.flatMap((profile) => c.keys.map((key) => ({ c, view, profile, key })));
    });
    const calls = questions.map((q) => getCall(q.c, q.profile, q.key));
    const answers = await runner.run(calls);
    questionsAsked = lists.length + answers.length;
    // The batches must answer exactly as the executable does: a sample of both kinds of question, both ways.
    const sampled = [...corpus.filter((_, i) => i % EXECUTABLE_SAMPLE.corpus === 0), ...generated.filter((_, i) => i % EXECUTABLE_SAMPLE.generated === 0)];
    const sample = [
      ...sampled.map((c) => ({ call: listCall(c), answer: lists[cases.indexOf(c)] })),
      ...calls.filter((_, i) => i % Math.ceil(calls.length / EXECUTABLE_SAMPLE.gets) === 0).map((call) => ({ call, answer: answers[calls.indexOf(call)] })),
    ];
    const direct = await runner.runExecutable(sample.map((q) => q.call));
    sample.forEach(({ call, answer }, i) => {
      expect({ rc: answer?.rc, stdout: answer?.stdout }, `${call.argv.join(' ')} (${call.env.AWS_CONFIG_FILE ?? ''}): batch versus ${cli.path}`).toEqual({
        rc: direct[i]?.rc,
        stdout: direct[i]?.stdout,
      });
    });
    executableChecks = sample.length;
    questions.forEach((q, i) => {
      const value = getValue(answers[i] as CliAnswer, `${q.key} --profile ${q.profile} (${q.c.id})`);
      const values = q.view.values.get(q.profile) ?? new Map<AskedKey, string>();
      q.view.values.set(q.profile, values);
      if (value !== undefined) values.set(q.key, value);
    });
    for (const c of cases) {
      const view = views.get(c.id);
      for (const profile of view?.profiles ?? []) if (!view?.values.has(profile)) view?.values.set(profile, new Map());
    }
    // About 25 s on an idle two-core machine in batches; the margin is for a busy CI runner, or
    // for an AWS CLI that has to be started for every question (several minutes).
  }, 600_000);

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `conformance: ${corpus.length} files (${corpus.filter((c) => c.hasCredentials).length} with a credentials file), ${compared.corpus} profiles compared with aws-cli/${version}, ` +
        `${used.size} allowed disagreements; and ${generated.length} generated files, ${compared.generated} profiles; ` +
        `${questionsAsked} questions in ${seconds} s (${runner?.mode ?? 'no AWS CLI'}, ${executableChecks} also asked through the executable)`,
    );
  });

  it('has at least 40 cases, each saying what real-world shape it is', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    for (const c of corpus) {
      const text = readFileSync(c.configFile, 'utf8').replace(/^\ufeff/, '');
      const described = /^[#;] \S/.test(text) || existsSync(join(CORPUS, c.id, 'case.json'));
      expect(described, `${c.id}: start the config with a # comment saying what it represents, or add case.json`).toBe(true);
    }
  });

  /** 1 and 2: refused exactly when the AWS CLI refuses, else the same profiles and values. Undefined when refused. */
  async function compareReading(c: Case): Promise<AwsProfiles | undefined> {
    const view = views.get(c.id);
    if (!view) throw new Error(`no AWS CLI answers for ${c.id}`);
    const files = { configFile: c.configFile, credentialsFile: c.credentialsFile };
    const what = c.kind === 'generated' ? `${c.id} (config ${JSON.stringify(readFileSync(c.configFile, 'utf8'))})` : c.id;

    // 1. Refused as a whole exactly when the AWS CLI refuses it, naming the same file.
    let profiles: AwsProfiles | undefined;
    let refusal: unknown;
    try {
      profiles = await readAwsProfiles(files);
    } catch (error) {
      refusal = error;
    }
    if (view.refused !== undefined) {
      expect(view.refused, `${what}: the AWS CLI failed for another reason than a file it cannot parse`).toContain(PARSE_ERROR);
      const refusedFile = view.refused.includes(c.credentialsFile) ? 'credentials' : 'config';
      expect(isUserFacingError(refusal) ? refusal.code : refusal, `${what}: the AWS CLI refuses the ${refusedFile} file: ${view.refused}`).toBe(`${refusedFile}-syntax`);
      await expect(importAwsConfig(files)).rejects.toMatchObject({ code: `${refusedFile}-syntax` });
      return undefined;
    }
    if (!profiles) throw new Error(`The AWS CLI reads ${what}, but the import refused it: ${String(refusal)}`);

    // 2. The reader: same profiles, same order, same value for every key the AWS CLI was asked.
    expect([...profiles.profiles.keys()], `${what}: profile names (aws configure list-profiles)`).toEqual(view.profiles);
    const reading: Record<string, Record<string, string | undefined>> = {};
    const expected: Record<string, Record<string, string | undefined>> = {};
    for (const profile of view.profiles) {
      reading[profile] = Object.fromEntries(c.keys.map((key) => [key, ourValue(profiles, profile, key)]));
      expected[profile] = Object.fromEntries(c.keys.map((key) => [key, view.values.get(profile)?.get(key)]));
    }
    expect(reading, `${what}: values (aws configure get KEY --profile P)`).toEqual(expected);
    compared[c.kind] += view.profiles.length;
    return profiles;
  }

  it.each(corpus.map((c) => c.id))('%s', async (id) => {
    const c = cases.find((x) => x.id === id);
    const view = views.get(id);
    if (!c || !view) throw new Error(`no AWS CLI answers for ${id}`);
    const files = { configFile: c.configFile, credentialsFile: c.credentialsFile };
    if ((await compareReading(c)) === undefined) return;

    // 3. The import: what it resolves for each profile, against the AWS CLI's resolution.
    const imported: ConfigImport = await importAwsConfig(files);
    const disagreements: Disagreement[] = [];
    const cliValue = (profile: string, key: AskedKey): string | undefined => view.values.get(profile)?.get(key);
    for (const profile of imported.profiles) {
      if (!view.profiles.includes(profile.name)) {
        disagreements.push({ profile: profile.name, field: 'listed', ours: 'imported', cli: 'not a profile' });
        continue;
      }
      const source = cliSource(view, profile.name);
      if (profile.source !== source) disagreements.push({ profile: profile.name, field: 'source', ours: profile.source, cli: source });
      const isRole = profile.roleArn !== undefined || cliValue(profile.name, 'role_arn') !== undefined;
      for (const [field, key] of IMPORT_FIELDS) {
        if (ROLE_FIELDS.has(field) && !isRole) continue;
        const value: ImportedProfile[typeof field] = profile[field];
        const ours = value === undefined ? undefined : String(value);
        const theirs = cliValue(profile.name, key);
        if (ours !== theirs) disagreements.push({ profile: profile.name, field, ours, cli: theirs });
      }
    }
    // Every profile the AWS CLI could get credentials for is imported, or named in a sentence.
    const named = new Set(imported.problems.map((p) => p.profile));
    const importedNames = new Set(imported.profiles.map((p) => p.name));
    const dropped = view.profiles.filter((p) => !importedNames.has(p) && !named.has(p) && CREDENTIAL_KEYS.some((key) => cliValue(p, key) !== undefined));
    expect(dropped, 'profiles dropped without a word').toEqual([]);

    const unexpected = disagreements.filter((d) => {
      const allowed = ALLOWED.find((a) => a.case === id && a.profile === d.profile && a.field === d.field);
      if (allowed) used.add(allowed);
      return !allowed;
    });
    expect(unexpected, 'the import and the AWS CLI disagree (add to ALLOWED only with a reason)').toEqual([]);
    const stale = ALLOWED.filter((a) => a.case === id && !disagreements.some((d) => d.profile === a.profile && d.field === a.field));
    expect(stale, 'ALLOWED lists disagreements that no longer happen').toEqual([]);
  });

  it(`reads ${GENERATED_FILES} generated files as the AWS CLI does`, async (context) => {
    if (generated.length === 0) context.skip('the AWS CLI is not a Python script: one process per question would take too long');
    let refused = 0;
    for (const c of generated) if ((await compareReading(c)) === undefined) refused += 1;
    // The generator must keep producing both kinds of file, or it proves little.
    expect(refused).toBeGreaterThan(GENERATED_FILES / 10);
    expect(refused).toBeLessThan(GENERATED_FILES * 0.9);
  });
});
