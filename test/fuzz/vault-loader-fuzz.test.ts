/**
 * Fuzzing the vault loader (issue: property-based fuzzing, part "vault loader").
 *
 * What this proves, for 10,000 generated vault files per run: whatever `vault.json` holds
 * (random bytes, random text, random JSON, vault-shaped JSON, and above all mutations of real
 * vault files of format 2 and of the legacy format 1: fields changed, removed, added (also
 * `__proto__` / `constructor`), wrong types, huge numbers and strings, deep nesting, envelope
 * strings edited part by part or bit by bit, envelopes swapped or copied between places, keys
 * renamed, duplicate keys and damaged text), `Vault.open` and every read method
 * (`identities`, `identity`, `profiles`, `profile`, `settings`, `sessionMetadata`, `hasCipher`,
 * `verifyKey`, `longTermKeys`, `roleSession`, `mfaSession`, `secret`, `accountAliases`,
 * `accountAliasDue`):
 *
 * - either succeed or throw a `UserFacingError`, never another exception type;
 * - finish within a bound (no hang);
 * - never put the passphrase or any fragment of a stored secret (secret access key, session
 *   secrets and tokens, the app secret) in an error message, stack, cause, or the
 *   "moved aside" notice, nor in what the metadata readers return;
 * - and any secret that does come back is exactly the one that was sealed at that place
 *   (format 2: nothing opens anywhere else; format 1, migrated on unlock, only known values
 *   of the place's kind);
 * - and the account aliases that come out (they reach the window) are only IAM's shape, under
 *   twelve-digit account ids, whatever the file says.
 *
 * A second property is a regression test for a bug this fuzzer found: names that
 * `Object.prototype` also has (`constructor`, `toString`, ...) made `roleSession`, `mfaSession`
 * and `secret` throw a TypeError (inherited members were read as stored values); the vault now
 * looks names up with Object.hasOwn. The first property leaves such names out of the names it
 * asks for, so that it keeps testing everything else.
 *
 * Cost: scrypt at 2^14 takes ~25 ms, so every cipher is shared through the keyring (one key
 * derivation per distinct salt for the whole suite, as the cipher caches keys by salt); and the
 * files live on /dev/shm when there is one (an unlock of a new vault writes and syncs the file).
 */
import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassphraseCipher } from '../../main/core/crypto/passphrase-cipher.js';
import { ACCOUNT_ALIAS, ACCOUNT_ID } from '../../main/core/iam/account-alias.js';
import { UserFacingError } from '../../main/core/user-facing-error.js';
import { PLACES, Vault, type SessionCredentials, type VaultKeyring } from '../../main/core/vault/vault.js';
import { errorTexts, SecretFragments, Tally, within } from './fuzz-support.js';

const RUNS = 10_000;
const CALL_BOUND_MS = 5_000;

const FAST = { log2N: 14, r: 8, p: 1 } as const;
const PASSPHRASE = 'fuzz passphrase: correct horse 7Qw!';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const APP_SECRET = 'endpointMaster-9fKq2LxVb7RtZp4WcN8sHy3J';
const NOW = new Date('2026-03-04T05:06:07.000Z');
const clock = { now: () => NOW };

function sessionOf(tag: string): SessionCredentials {
  return {
    accessKeyId: `ASIAFUZZ${tag.toUpperCase().padEnd(12, 'Q')}`,
    secretAccessKey: `sessSecret/${tag}/Hq8ZtLw3RxV9pKc2NbYe5Jm`,
    sessionToken: `sessToken//${tag}//IQoJb3JpZ2luX2VjEXAMPLEfuzz`,
    expiration: new Date(NOW.getTime() + 12 * 3600_000),
  };
}
const SESSIONS = { mfa: sessionOf('mfa'), dev: sessionOf('dev'), prod: sessionOf('prod') } as const;
const sessionJson = (s: SessionCredentials): string => JSON.stringify({ ...s, expiration: s.expiration.toISOString() });

const FRAGMENTS = new SecretFragments([PASSPHRASE, SECRET, APP_SECRET, ...Object.values(SESSIONS).flatMap((s) => [s.secretAccessKey, s.sessionToken])]);

/** Names `Object.prototype` has: the bug pinned below; left out of the main property's names. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

// ---- one cipher per salt for the whole suite (scrypt is the only slow part) ----

const NEW_VAULT_CIPHER = new PassphraseCipher(PASSPHRASE, undefined, FAST);
const BASE_SALT = NEW_VAULT_CIPHER.salt;
const ciphers = new Map<string, PassphraseCipher>([[BASE_SALT, NEW_VAULT_CIPHER]]);
let cipherInstances = 1;

/** As the real keyrings do (`new PassphraseCipher(passphrase, header?.salt)`), but shared per salt. */
const keyring: VaultKeyring = (header) => {
  if (!header) return NEW_VAULT_CIPHER;
  const id = header.salt ?? '\u0000no salt';
  let cipher = ciphers.get(id);
  if (!cipher) {
    cipher = new PassphraseCipher(PASSPHRASE, header.salt, FAST); // a damaged salt throws here, as for users
    if (ciphers.size > 64) {
      ciphers.clear();
      ciphers.set(BASE_SALT, NEW_VAULT_CIPHER);
    }
    ciphers.set(id, cipher);
    cipherInstances += 1;
  }
  return cipher;
};

/** A version 1 envelope as the previous version wrote it (vault-trust.test.ts does the same). */
let legacyKey: Buffer | undefined;
function legacyEnvelope(plaintext: string): string {
  const salt = Buffer.from(BASE_SALT, 'base64url');
  legacyKey ??= scryptSync(PASSPHRASE, salt, 32, { N: 2 ** FAST.log2N, r: FAST.r, p: FAST.p });
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', legacyKey, nonce, { authTagLength: 16 });
  cipher.setAAD(Buffer.from('aat1'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['aat1', 'scrypt', `${FAST.log2N},${FAST.r},${FAST.p}`, BASE_SALT, nonce.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('$');
}

// ---- the base vaults every mutation starts from ----

interface Bases {
  format2: string;
  format1: string;
  /** Format 2: what was sealed at each place. */
  sealed: Map<string, string>;
  /** Format 1 envelopes are bound to nothing: after the migration any of them may sit anywhere. */
  /** Format 1: the values of each kind (a session place gives a session, a secret place a secret). */
  legacySecrets: Set<string>;
  legacySessions: Set<string>;
  idPool: string[];
  namePool: string[];
}

/** In memory when the system has a tmpfs: every unlock of an empty vault writes (and syncs) the file. */
const scratch = existsSync('/dev/shm') && statSync('/dev/shm').isDirectory() ? '/dev/shm' : tmpdir();
const root = mkdtempSync(join(scratch, 'aat-fuzz-vault-'));
let bases: Bases;
const runDir = join(root, 'run');

async function buildBases(): Promise<Bases> {
  const dir = join(root, 'base-format-2');
  const { vault } = Vault.open(dir, keyring, clock);
  const security = await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAFUZZFUZZFUZZ0001', secretAccessKey: SECRET, mfaSerial: 'arn:aws:iam::111111111111:mfa/alice', region: 'eu-west-1' });
  const ops = await vault.addIdentity({ label: 'ops', accessKeyId: 'AKIAFUZZFUZZFUZZ0002' });
  vault.upsertProfile({ name: 'security', identityId: security.id });
  vault.upsertProfile({ name: 'dev', identityId: security.id, roleArn: 'arn:aws:iam::222222222222:role/engineer', durationSeconds: 3600 });
  vault.upsertProfile({ name: 'prod', identityId: security.id, roleArn: 'arn:aws:iam::333333333333:role/engineer', mfaMode: 'direct' });
  vault.upsertProfile({ name: 'ops', identityId: ops.id, region: 'us-east-2' });
  await vault.saveMfaSession(security.id, SESSIONS.mfa);
  await vault.saveRoleSession('dev', security.id, SESSIONS.dev);
  await vault.saveRoleSession('prod', security.id, SESSIONS.prod);
  await vault.setSecret('endpoint-token', APP_SECRET);
  vault.updateSettings({ mfaSessionSeconds: 3600, servePort: 47821 });
  vault.rememberAccountAlias('222222222222', 'dev');
  vault.rememberAccountAlias('333333333333', undefined);
  await vault.flush();
  const format2 = readFileSync(join(dir, 'vault.json'), 'utf8');

  const sealed = new Map<string, string>([
    [PLACES.identitySecret(security.id), SECRET],
    [PLACES.mfaSession(security.id), sessionJson(SESSIONS.mfa)],
    [PLACES.roleSession('dev'), sessionJson(SESSIONS.dev)],
    [PLACES.roleSession('prod'), sessionJson(SESSIONS.prod)],
    [PLACES.secret('endpoint-token'), APP_SECRET],
  ]);

  const at = NOW.toISOString();
  const legacyId = 'legacy-identity-1';
  const format1 = JSON.stringify({
    format: 1,
    cipher: { kind: 'passphrase', salt: BASE_SALT, check: legacyEnvelope('aws-auth-tray vault key check v1') },
    identities: [{ id: legacyId, label: 'security', accessKeyId: 'AKIAFUZZFUZZFUZZ0003', secretAccessKey: legacyEnvelope(SECRET), createdAt: at }],
    profiles: [
      { name: 'dev', identityId: legacyId, roleArn: 'arn:aws:iam::222222222222:role/engineer', mfaMode: 'mfa-session', origin: 'manual' },
      { name: 'prod', identityId: legacyId, roleArn: 'arn:aws:iam::333333333333:role/engineer', mfaMode: 'direct', origin: 'aws-config' },
    ],
    sessions: {
      mfa: { [legacyId]: { ciphertext: legacyEnvelope(sessionJson(SESSIONS.mfa)), expiration: at, issuedAt: at, identityId: legacyId } },
      roles: {
        dev: { ciphertext: legacyEnvelope(sessionJson(SESSIONS.dev)), expiration: at, issuedAt: at, identityId: legacyId },
        prod: { ciphertext: legacyEnvelope(sessionJson(SESSIONS.prod)), expiration: at, issuedAt: at, identityId: legacyId },
      },
    },
    secrets: { 'endpoint-token': legacyEnvelope(APP_SECRET) },
    settings: { mfaSessionSeconds: 43_200 },
  });
  return {
    format2,
    format1,
    sealed,
    legacySecrets: new Set([SECRET, APP_SECRET]),
    legacySessions: new Set(Object.values(SESSIONS).map(sessionJson)),
    idPool: [security.id, ops.id, legacyId],
    namePool: ['dev', 'prod', 'security', 'ops', 'endpoint-token', '222222222222', '333333333333'],
  };
}

// ---- JSON paths and in-place edits (own keys only, `__proto__` included) ----

type Path = (string | number)[];
type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

function nodePaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (path.length > 12 || out.length > 400) return out;
  if (Array.isArray(value)) value.forEach((item: unknown, i) => nodePaths(item, [...path, i], out));
  else if (isObject(value)) for (const key of Object.keys(value)) nodePaths(value[key], [...path, key], out);
  return out;
}

function getAt(rootValue: unknown, path: Path): unknown {
  let value = rootValue;
  for (const step of path) {
    if (Array.isArray(value) && typeof step === 'number') value = value[step] as unknown;
    else if (isObject(value) && typeof step === 'string' && Object.hasOwn(value, step)) value = value[step];
    else return undefined;
  }
  return value;
}

/** Sets an own key, even `__proto__` (an assignment would set the prototype instead). */
function defineKey(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function setAt(rootValue: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = getAt(rootValue, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isObject(parent) && typeof last === 'string') defineKey(parent, last, value);
  return rootValue;
}

function removeAt(rootValue: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  const parent = getAt(rootValue, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (isObject(parent) && typeof last === 'string') delete parent[last];
  return rootValue;
}

function nest(depth: number, kind: 'array' | 'object', leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) value = kind === 'array' ? [value] : { n: value };
  return value;
}

// ---- what the fuzzer puts into a vault ----

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const base64urlText = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...BASE64URL.split('')), maxLength });

const oddNumber = fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, -0, 0, 0.5, 1.5, -1, 2 ** 31, 2 ** 32 + 1, 1e21, 5e-324, 900, 899, 129_601, 65_536, 3);
const oddString = fc.constantFrom('', ' ', '__proto__', 'constructor', 'prototype', 'toString', 'aat1', 'aat2', 'scrypt', 'passphrase', 'safe-storage', 'mfa-session', 'direct', 'aws-config', '\u0000', '\u202e', '\ud800', '💥', 'dev', 'prod', '2', '1');
const hugeString = fc.tuple(fc.constantFrom('a', '$', 'é', '💥', 'aat2$'), fc.integer({ min: 1_000, max: 100_000 })).map(([unit, n]) => unit.repeat(n));
const deep = fc.tuple(fc.integer({ min: 10, max: 800 }), fc.constantFrom('array' as const, 'object' as const), fc.jsonValue({ maxDepth: 1 })).map(([d, kind, leaf]) => nest(d, kind, leaf));
const envelopeLike = fc
  .tuple(fc.constantFrom('aat1', 'aat2', 'aat3', ''), fc.constantFrom('scrypt', 'pbkdf2'), fc.constantFrom('14,8,1', '17,8,1', '014,8,1', '999,8,1', '14,8', ''), base64urlText(30), base64urlText(20), base64urlText(60), base64urlText(30))
  .map((parts) => parts.join('$'));

const fuzzValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: oddNumber },
  { weight: 3, arbitrary: oddString },
  { weight: 2, arbitrary: envelopeLike },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deep },
);
const fuzzKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'format', 'cipher', 'kind', 'salt', 'check', 'identities', 'profiles', 'sessions', 'mfa', 'roles', 'secrets', 'settings', 'id', 'label', 'name', 'ciphertext', 'secretAccessKey', 'dev', 'prod', 'endpoint-token'),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

type EnvelopeEdit =
  | { kind: 'char'; index: number; char: string }
  | { kind: 'truncate'; index: number }
  | { kind: 'append'; text: string }
  | { kind: 'part'; part: number; text: string }
  | { kind: 'swapParts'; a: number; b: number }
  | { kind: 'dropPart'; part: number }
  | { kind: 'duplicatePart'; part: number }
  | { kind: 'partFrom'; part: number; other: number }
  | { kind: 'flipBit'; part: number; bit: number };

const envelopeEdit: fc.Arbitrary<EnvelopeEdit> = fc.oneof(
  fc.record({ kind: fc.constant('char' as const), index: fc.nat(), char: fc.oneof(fc.constantFrom(...BASE64URL.split(''), '$', ',', '='), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
  fc.record({ kind: fc.constant('truncate' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), text: fc.oneof(base64urlText(8), fc.constantFrom('$', '$x', '=', '\n')) }),
  fc.record({
    kind: fc.constant('part' as const),
    part: fc.integer({ min: 0, max: 6 }),
    text: fc.oneof(base64urlText(40), fc.constantFrom('', 'aat1', 'aat2', 'scrypt', '14,8,1', '17,8,1', '14,8,01', '99999,8,1', '0,0,0', '14,8', '14,8,1,1', 'AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAA', '====')),
  }),
  fc.record({ kind: fc.constant('swapParts' as const), a: fc.integer({ min: 0, max: 6 }), b: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('dropPart' as const), part: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('duplicatePart' as const), part: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('partFrom' as const), part: fc.integer({ min: 2, max: 6 }), other: fc.nat() }),
  // Structurally valid, so it reaches the GCM tag check: nonce, ciphertext and tag mostly; the salt (a new scrypt) rarely.
  fc.record({ kind: fc.constant('flipBit' as const), part: fc.constantFrom(4, 4, 5, 5, 5, 6, 6, 3), bit: fc.nat() }),
);

function editEnvelope(envelope: string, edit: EnvelopeEdit, others: string[]): string {
  const parts = envelope.split('$');
  const wrap = (i: number): number => i % Math.max(parts.length, 1);
  switch (edit.kind) {
    case 'char': {
      const i = edit.index % Math.max(envelope.length, 1);
      return envelope.slice(0, i) + edit.char + envelope.slice(i + 1);
    }
    case 'truncate':
      return envelope.slice(0, edit.index % Math.max(envelope.length, 1));
    case 'append':
      return envelope + edit.text;
    case 'part':
      parts[wrap(edit.part)] = edit.text;
      return parts.join('$');
    case 'swapParts': {
      const [a, b] = [wrap(edit.a), wrap(edit.b)];
      [parts[a], parts[b]] = [parts[b] ?? '', parts[a] ?? ''];
      return parts.join('$');
    }
    case 'dropPart':
      parts.splice(wrap(edit.part), 1);
      return parts.join('$');
    case 'duplicatePart':
      parts.splice(wrap(edit.part), 0, parts[wrap(edit.part)] ?? '');
      return parts.join('$');
    case 'partFrom': {
      const other = others.length > 0 ? (others[edit.other % others.length] ?? '').split('$') : [];
      parts[wrap(edit.part)] = other[edit.part] ?? '';
      return parts.join('$');
    }
    case 'flipBit': {
      const i = wrap(edit.part);
      const bytes = Buffer.from(parts[i] ?? '', 'base64url');
      if (bytes.length === 0) return envelope;
      const bit = edit.bit % (bytes.length * 8);
      bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      parts[i] = bytes.toString('base64url');
      return parts.join('$');
    }
  }
}

type Mutation =
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'remove'; at: number }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'swap'; a: number; b: number }
  | { op: 'swapEnvelopes'; a: number; b: number }
  | { op: 'copy'; from: number; to: number }
  | { op: 'envelope'; at: number; edit: EnvelopeEdit }
  | { op: 'renameKey'; at: number; key: string }
  | { op: 'nest'; at: number; depth: number; kind: 'array' | 'object' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fuzzValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fuzzKey, value: fuzzValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('swapEnvelopes' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('copy' as const), from: fc.nat(), to: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('envelope' as const), at: fc.nat(), edit: envelopeEdit }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('renameKey' as const), at: fc.nat(), key: fuzzKey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 800 }), kind: fc.constantFrom('array' as const, 'object' as const) }) },
);

/** Mutations that mostly keep the document a vault (so the schema passes and the cipher is reached). */
const gentleMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('envelope' as const), at: fc.nat(), edit: envelopeEdit }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('swapEnvelopes' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'unknownField'), fc.string({ maxLength: 8 })), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), envelopeLike) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('renameKey' as const), at: fc.nat(), key: fc.constantFrom('dev', 'prod', 'security', 'endpoint-token', 'other', 'constructor') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fc.oneof(envelopeLike, oddString, fc.constantFrom(1, 2)) }) },
);

const envelopePaths = (doc: unknown): Path[] => nodePaths(doc).filter((p) => {
  const value = getAt(doc, p);
  return typeof value === 'string' && value.startsWith('aat');
});

function applyMutation(doc: unknown, m: Mutation): unknown {
  const paths = nodePaths(doc);
  const pick = (n: number, from: Path[] = paths): Path | undefined => from[n % Math.max(from.length, 1)];
  switch (m.op) {
    case 'replace': {
      const path = pick(m.at);
      // A copy: later mutations must not change the value fast-check generated (it may be shrunk).
      return path ? setAt(doc, path, structuredClone(m.value)) : doc;
    }
    case 'remove': {
      const path = pick(m.at, paths.slice(1));
      return path ? removeAt(doc, path) : doc;
    }
    case 'add': {
      const containers = paths.filter((p) => isObject(getAt(doc, p)) || Array.isArray(getAt(doc, p)));
      const path = pick(m.at, containers);
      const target = path ? getAt(doc, path) : undefined;
      if (Array.isArray(target)) target.push(structuredClone(m.value));
      else if (isObject(target)) defineKey(target, m.key, structuredClone(m.value));
      return doc;
    }
    case 'swap':
    case 'swapEnvelopes': {
      const from = m.op === 'swap' ? paths.slice(1) : envelopePaths(doc);
      const [a, b] = [pick(m.a, from), pick(m.b, from)];
      if (!a || !b) return doc;
      const [va, vb] = [getAt(doc, a), getAt(doc, b)];
      // A path inside the other would lose its subtree: swap only disjoint nodes.
      if (a.length !== b.length && (a.every((s, i) => b[i] === s) || b.every((s, i) => a[i] === s))) return doc;
      setAt(doc, a, vb);
      return setAt(doc, b, va);
    }
    case 'copy': {
      const [from, to] = [pick(m.from), pick(m.to, paths.slice(1))];
      return from && to ? setAt(doc, to, structuredClone(getAt(doc, from))) : doc;
    }
    case 'envelope': {
      const envelopes = envelopePaths(doc);
      const path = pick(m.at, envelopes);
      if (!path) return doc;
      const others = envelopes.map((p) => String(getAt(doc, p)));
      return setAt(doc, path, editEnvelope(String(getAt(doc, path)), m.edit, others));
    }
    case 'renameKey': {
      const keyed = paths.filter((p) => typeof p[p.length - 1] === 'string');
      const path = pick(m.at, keyed);
      if (!path) return doc;
      const parent = getAt(doc, path.slice(0, -1));
      const old = path[path.length - 1];
      if (!isObject(parent) || typeof old !== 'string') return doc;
      const value = parent[old];
      delete parent[old];
      defineKey(parent, m.key, value);
      return doc;
    }
    case 'nest': {
      const path = pick(m.at);
      return path ? setAt(doc, path, nest(m.depth, m.kind, getAt(doc, path))) : doc;
    }
  }
}

type TextEdit =
  | { kind: 'truncate'; at: number }
  | { kind: 'insertBytes'; at: number; bytes: Uint8Array }
  | { kind: 'numberToken'; index: number; token: string }
  | { kind: 'duplicateKey'; first: boolean; key: string; valueText: string };

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insertBytes' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('numberToken' as const), index: fc.nat(), token: fc.constantFrom('1e999', '-1e999', '-0', '2.0', '1E1', '0.0000000000000000000000001', '123456789012345678901234567890', '2e0', '1.0', '9007199254740993') }),
  fc.record({
    kind: fc.constant('duplicateKey' as const),
    first: fc.boolean(),
    key: fc.constantFrom('format', 'cipher', 'identities', 'sessions', 'secrets', 'settings', '__proto__', 'constructor'),
    valueText: fc.constantFrom('3', '1', '2', 'null', '{}', '[]', '"x"', '{"kind":"passphrase","check":"aat2"}', '{"__proto__":{"polluted":1}}'),
  }),
);

function applyTextEdit(bytes: Buffer, edit: TextEdit): Buffer {
  switch (edit.kind) {
    case 'truncate':
      return bytes.subarray(0, edit.at % Math.max(bytes.length, 1));
    case 'insertBytes': {
      const at = edit.at % Math.max(bytes.length, 1);
      return Buffer.concat([bytes.subarray(0, at), edit.bytes, bytes.subarray(at)]);
    }
    case 'numberToken': {
      const text = bytes.toString('utf8');
      const numbers = [...text.matchAll(/(?<=[:[,]\s*)-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)];
      const found = numbers[edit.index % Math.max(numbers.length, 1)];
      if (found?.index === undefined) return bytes;
      return Buffer.from(text.slice(0, found.index) + edit.token + text.slice(found.index + found[0].length));
    }
    case 'duplicateKey': {
      const text = bytes.toString('utf8');
      const member = `${JSON.stringify(edit.key)}:${edit.valueText}`;
      const open = text.indexOf('{');
      const close = text.lastIndexOf('}');
      if (open < 0 || close < 0) return bytes;
      return Buffer.from(edit.first ? `${text.slice(0, open + 1)}${member},${text.slice(open + 1)}` : `${text.slice(0, close)},${member}${text.slice(close)}`);
    }
  }
}

interface FileInput {
  kind: string;
  bytes: Buffer;
}

const mutatedVault: fc.Arbitrary<FileInput> = fc
  .record({
    base: fc.constantFrom('format2' as const, 'format2' as const, 'format1' as const),
    mutations: fc.oneof({ weight: 2, arbitrary: fc.array(gentleMutation, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 5 }) }),
    indent: fc.constantFrom(0, 0, 2, '\t'),
    bom: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    textEdits: fc.oneof({ weight: 5, arbitrary: fc.constant([] as TextEdit[]) }, { weight: 1, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 2 }) }),
  })
  .map(({ base, mutations, indent, bom, textEdits }) => {
    let doc: unknown = JSON.parse(bases[base]);
    for (const m of mutations) doc = applyMutation(doc, m);
    let bytes: Buffer = Buffer.from((bom ? '\uFEFF' : '') + (JSON.stringify(doc, null, indent) ?? ''), 'utf8');
    for (const edit of textEdits) bytes = applyTextEdit(bytes, edit);
    return { kind: `mutated-${base}`, bytes };
  });

const vaultShaped: fc.Arbitrary<FileInput> = fc
  .record(
    {
      format: fc.oneof(fc.constantFrom(1, 2), fuzzValue),
      cipher: fc.oneof(fc.record({ kind: fc.constantFrom('passphrase', 'safe-storage', ''), salt: fc.oneof(base64urlText(24), fc.constant(BASE_SALT)), check: envelopeLike }, { requiredKeys: ['kind', 'check'] }), fuzzValue),
      identities: fc.array(fc.record({ id: fc.oneof(fc.constantFrom(...['a', 'b']), fc.string()), label: fc.string(), accessKeyId: fc.string(), secretAccessKey: envelopeLike, createdAt: fc.string() }, { requiredKeys: [] }), { maxLength: 3 }),
      profiles: fc.array(fc.record({ name: fc.constantFrom('dev', 'prod', 'x'), identityId: fc.constantFrom('a', 'b'), roleArn: fc.string(), mfaMode: fc.constantFrom('mfa-session', 'direct', 'other'), durationSeconds: oddNumber }, { requiredKeys: [] }), { maxLength: 3 }),
      sessions: fc.record({ mfa: fc.dictionary(fc.constantFrom('a', 'b'), fc.record({ ciphertext: envelopeLike, expiration: fc.string(), issuedAt: fc.string(), identityId: fc.string() })), roles: fc.dictionary(fc.constantFrom('dev', 'prod'), fc.record({ ciphertext: envelopeLike, expiration: fc.string(), issuedAt: fc.string(), identityId: fc.string() })) }, { requiredKeys: [] }),
      secrets: fc.dictionary(fc.constantFrom('endpoint-token', 'x'), envelopeLike),
      settings: fc.record({ mfaSessionSeconds: oddNumber, servePort: oddNumber }, { requiredKeys: [] }),
      accountAliases: fc.dictionary(
        fc.constantFrom('222222222222', '333333333333', 'constructor', 'x'),
        fc.record({ alias: fc.oneof(fc.constantFrom('dev', '<b>dev</b>', 'dev\u001b[31m', ''), fc.string(), fuzzValue), checkedAt: fc.oneof(fc.string(), fc.constant(NOW.toISOString()), fuzzValue) }, { requiredKeys: [] }),
      ),
    },
    { requiredKeys: [] },
  )
  .map((doc) => ({ kind: 'vault-shaped', bytes: Buffer.from(JSON.stringify(doc) ?? '') }));

const fileInput: fc.Arbitrary<FileInput> = fc.oneof(
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((bytes) => ({ kind: 'random-bytes', bytes: Buffer.from(bytes) })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((text) => ({ kind: 'random-text', bytes: Buffer.from(text) })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((value) => ({ kind: 'random-json', bytes: Buffer.from(JSON.stringify(value) ?? '') })) },
  { weight: 2, arbitrary: vaultShaped },
  { weight: 14, arbitrary: mutatedVault },
);

// ---- what the fuzzer asks of the vault ----

type Method =
  | 'identities'
  | 'profiles'
  | 'settings'
  | 'sessionMetadata'
  | 'hasCipher'
  | 'verifyKey'
  | 'identity'
  | 'profile'
  | 'longTermKeys'
  | 'roleSession'
  | 'mfaSession'
  | 'secret'
  | 'accountAliases'
  | 'accountAliasDue';
type NameRef = { pool: number } | { free: string };
interface Call {
  method: Method;
  name: NameRef;
}

const notInherited = (name: string): string => (INHERITED.has(name) ? `${name}-x` : name);
const nameRef: fc.Arbitrary<NameRef> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ pool: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ free: fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), oddString).map(notInherited) }) },
);
const call: fc.Arbitrary<Call> = fc.record({
  method: fc.constantFrom<Method>(
    'identities',
    'profiles',
    'settings',
    'sessionMetadata',
    'hasCipher',
    'verifyKey',
    'identity',
    'profile',
    'longTermKeys',
    'roleSession',
    'mfaSession',
    'secret',
    'accountAliases',
    'accountAliasDue',
  ),
  name: nameRef,
});
/** After the generated calls, every read method once more with the names the vault was built with. */
function everyMethod(): Call[] {
  const named = (method: Method, name: string): Call => ({ method, name: { free: name } });
  return [
    named('identities', ''),
    named('profiles', ''),
    named('settings', ''),
    named('sessionMetadata', ''),
    named('accountAliases', ''),
    named('accountAliasDue', '222222222222'),
    named('verifyKey', ''),
    ...bases.idPool.flatMap((id) => [named('longTermKeys', id), named('mfaSession', id)]),
    named('roleSession', 'dev'),
    named('roleSession', 'prod'),
    named('secret', 'endpoint-token'),
  ];
}

/** Ids and names in the file itself (identity ids, profile names, session and secret keys), plus the bases'. */
function namePool(bytes: Buffer): string[] {
  const pool = new Set([...bases.idPool, ...bases.namePool]);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return [...pool];
  }
  const keysOf = (value: unknown): string[] => (isObject(value) ? Object.keys(value) : []);
  const fieldOf = (list: unknown, field: string): string[] => (Array.isArray(list) ? list.map((item) => (isObject(item) ? item[field] : undefined)).filter((v): v is string => typeof v === 'string') : []);
  if (isObject(doc)) {
    const sessions = doc.sessions;
    for (const name of [...fieldOf(doc.identities, 'id'), ...fieldOf(doc.profiles, 'name'), ...keysOf(doc.secrets), ...(isObject(sessions) ? [...keysOf(sessions.mfa), ...keysOf(sessions.roles)] : [])]) {
      pool.add(notInherited(name));
    }
  }
  return [...pool].slice(0, 24);
}

function formatOf(bytes: Buffer): unknown {
  try {
    const doc: unknown = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    return isObject(doc) && Object.hasOwn(doc, 'format') ? doc.format : undefined;
  } catch {
    return undefined;
  }
}

// ---- the checks ----

function assertNoLeak(text: string, where: string): void {
  const leak = FRAGMENTS.find(text);
  if (leak !== undefined) throw new Error(`${where} contains the secret fragment ${JSON.stringify(leak)}: ${text.slice(0, 300)}`);
}

function assertUserFacing(error: unknown, where: string): asserts error is UserFacingError {
  for (const text of errorTexts(error)) assertNoLeak(text, `the error of ${where}`);
  if (!(error instanceof UserFacingError)) {
    const name = error instanceof Error ? error.constructor.name : typeof error;
    throw new Error(`${where} threw ${name}, not a UserFacingError: ${error instanceof Error ? error.stack : String(error)}`);
  }
  if (typeof error.code !== 'string' || error.code === '' || error.message === '') throw new Error(`${where} threw a UserFacingError without code or message`);
}

const sameSession = (got: SessionCredentials, expected: SessionCredentials): boolean =>
  got.accessKeyId === expected.accessKeyId && got.secretAccessKey === expected.secretAccessKey && got.sessionToken === expected.sessionToken && got.expiration.getTime() === expected.expiration.getTime();

/**
 * A decrypted value may only be what was sealed at that very place (format 2), or, in a migrated
 * format 1 vault, a known value of the place's kind: an access key or app secret where a secret
 * belongs (two of them swapped cannot be told apart: format-one-migration.ts), a session where a
 * session belongs; never the key check.
 */
function assertSealedHere(value: string, place: string, legacy: boolean, where: string): void {
  const legacyKind = place.startsWith('session:') ? bases.legacySessions : bases.legacySecrets;
  const allowed = legacy ? legacyKind.has(value) : bases.sealed.get(place) === value;
  if (!allowed) throw new Error(`${where} opened a value that was not sealed at ${place}`);
  tally.count('a secret opened');
}

function assertSessionSealedHere(session: SessionCredentials | undefined, place: string, legacy: boolean, where: string): void {
  if (session === undefined) return;
  const expected = Object.values(SESSIONS).find((s) => sameSession(session, s));
  if (!expected) throw new Error(`${where} returned a session that was never stored`);
  assertSealedHere(sessionJson(expected), place, legacy, where);
}

const tally = new Tally();

async function perform(vault: Vault, c: Call, pool: string[], legacy: boolean): Promise<void> {
  const name = 'pool' in c.name ? (pool[c.name.pool % pool.length] ?? '') : c.name.free;
  const where = `${c.method}(${JSON.stringify(name)})`;
  const started = performance.now();
  try {
    await within(CALL_BOUND_MS, where, async () => {
      switch (c.method) {
        case 'identities':
        case 'profiles':
        case 'settings':
        case 'sessionMetadata':
        case 'hasCipher':
          assertNoLeak(JSON.stringify(vault[c.method]()) ?? '', where);
          return;
        case 'identity':
          assertNoLeak(JSON.stringify(vault.identity(name)) ?? '', where);
          return;
        case 'accountAliases': {
          const aliases = vault.accountAliases();
          assertNoLeak(JSON.stringify(aliases), where);
          for (const [account, alias] of Object.entries(aliases)) {
            if (!ACCOUNT_ID.test(account) || !ACCOUNT_ALIAS.test(alias)) throw new Error(`${where} gave out ${JSON.stringify(account)}: ${JSON.stringify(alias)}, not an alias of an account`);
          }
          return;
        }
        case 'accountAliasDue':
          if (typeof vault.accountAliasDue(name) !== 'boolean') throw new Error(`${where} gave out not an alias answer`);
          return;
        case 'profile':
          assertNoLeak(JSON.stringify(vault.profile(name)) ?? '', where);
          return;
        case 'verifyKey':
          await vault.verifyKey();
          return;
        case 'longTermKeys':
          assertSealedHere((await vault.longTermKeys(name)).secretAccessKey, PLACES.identitySecret(name), legacy, where);
          return;
        case 'roleSession':
          assertSessionSealedHere(await vault.roleSession(name), PLACES.roleSession(name), legacy, where);
          return;
        case 'mfaSession':
          assertSessionSealedHere(await vault.mfaSession(name), PLACES.mfaSession(name), legacy, where);
          return;
        case 'secret': {
          const value = await vault.secret(name);
          if (value !== undefined) assertSealedHere(value, PLACES.secret(name), legacy, where);
          return;
        }
      }
    });
    tally.count(`${c.method}:ok`);
  } catch (error) {
    if (error instanceof Error && /took longer than|opened a value|returned a session|contains the secret|not an alias/.test(error.message)) throw error;
    assertUserFacing(error, where);
    tally.count(`${c.method}:${error.code}`);
  }
  const ms = performance.now() - started;
  if (ms > CALL_BOUND_MS) throw new Error(`${where} took ${ms.toFixed(0)} ms`);
}

async function openAndRead(input: FileInput, calls: Call[]): Promise<void> {
  const started = performance.now();
  // One directory for every run, emptied after each (cheaper than a new directory per run).
  const dir = runDir;
  writeFileSync(join(dir, 'vault.json'), input.bytes, { mode: 0o600 });
  try {
    let opened: { vault: Vault; notice?: string };
    try {
      opened = Vault.open(dir, keyring, clock);
    } catch (error) {
      assertUserFacing(error, `Vault.open of ${input.kind}`);
      tally.count(`open:${error.code}`);
      return;
    }
    tally.count(opened.notice === undefined ? `open:${input.kind}` : 'open:moved-aside');
    if (opened.notice !== undefined) assertNoLeak(opened.notice, 'the moved-aside notice');
    const pool = namePool(input.bytes);
    const legacy = formatOf(input.bytes) === 1;
    for (const c of [...calls, ...everyMethod()]) await perform(opened.vault, c, pool, legacy);
    await opened.vault.flush();
  } finally {
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
    tally.time(performance.now() - started);
  }
}

describe('vault loader fuzzing', () => {
  beforeAll(async () => {
    bases = await buildBases();
    mkdirSync(runDir, { mode: 0o700 });
  }, 30_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it(
    `any vault file: open and every read method succeed or throw a UserFacingError, in bounded time, leaking no secret (${RUNS} files)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fileInput, fc.array(call, { maxLength: 6 }), (input, calls) => openAndRead(input, calls)),
        { numRuns: RUNS },
      );
      console.info(`${tally.summary('vault loader')}; cipher instances (one scrypt each at least): ${cipherInstances}`);
      // Not vacuous: real vaults were opened, secrets decrypted, and tampering detected.
      expect(tally.get('a secret opened')).toBeGreaterThan(100);
      expect(tally.get('open:mutated-format2') + tally.get('open:mutated-format1')).toBeGreaterThan(1_000);
      expect(tally.get('roleSession:vault-tampered') + tally.get('longTermKeys:vault-tampered')).toBeGreaterThan(100);
    },
    150_000,
  );

  it('the checks are not vacuous: another exception type, or a secret fragment in a cause, fails them', () => {
    expect(() => assertUserFacing(new TypeError('x'), 'probe')).toThrow(/TypeError, not a UserFacingError/);
    const leaky = new UserFacingError('vault-tampered', 'A clean sentence.', { cause: new Error(`parse error near ${SECRET.slice(5, 25)}`) });
    expect(() => assertUserFacing(leaky, 'probe')).toThrow(/secret fragment/);
    expect(() => assertUserFacing(new UserFacingError('vault-tampered', 'A clean sentence.'), 'probe')).not.toThrow();
  }, 30_000);

  it('the unmutated bases open and give back exactly what was stored (the oracle above is not vacuous)', async () => {
    for (const base of ['format2', 'format1'] as const) {
      const dir = join(root, `check-${base}`);
      mkdirSync(dir, { mode: 0o700 });
      writeFileSync(join(dir, 'vault.json'), bases[base], { mode: 0o600 });
      const { vault, notice } = Vault.open(dir, keyring, clock);
      expect(notice).toBeUndefined();
      const id = vault.identity('security')?.id ?? '';
      expect((await vault.longTermKeys(id)).secretAccessKey).toBe(SECRET);
      expect(await vault.roleSession('dev')).toEqual(SESSIONS.dev);
      expect(await vault.mfaSession(id)).toEqual(SESSIONS.mfa);
      expect(await vault.secret('endpoint-token')).toBe(APP_SECRET);
    }
  }, 30_000);

  // Regression, found by this fuzzer: `doc.sessions.roles['constructor']` found an inherited
  // function, so a profile named `constructor` (a valid name) could never get credentials.
  it('names Object.prototype also has (constructor, toString, __proto__...) read as "nothing stored", never a TypeError', async () => {
    const dir = join(root, 'inherited-names');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'vault.json'), bases.format2, { mode: 0o600 });
    const { vault } = Vault.open(dir, keyring, clock);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...INHERITED), fc.constantFrom('roleSession' as const, 'mfaSession' as const, 'secret' as const), async (name, method) => {
        const value = await within<unknown>(CALL_BOUND_MS, `${method}(${name})`, () => vault[method](name));
        expect(value).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  }, 30_000);
});
