/**
 * Fuzzing every IPC channel of the contract (issue: property-based fuzzing, part "every IPC
 * schema"): main/ipc/ipc-contract.ts, the door `dispatch` in main/ipc/ipc-handlers.ts and the
 * sender check of main/ipc/register-ipc.ts (Electron's ipcMain is replaced by a recorder).
 *
 * What this proves, for EVERY channel in the contract (the list is read from the contract, so a
 * new channel without a model below fails the suite):
 *
 * 1. Arbitrary values (`fc.anything` with null-prototype objects, boxed values, Map/Set, Date,
 *    typed and sparse arrays, BigInt, `__proto__`/`constructor` keys) and 2. values shaped like
 *    the channel's input (every field valid, at a boundary, padded with spaces, of a wrong type,
 *    NaN/Infinity/-0, huge strings, deeply nested, missing, `undefined`; extra and
 *    prototype-pollution keys; null-prototype objects) either
 *    - pass, and the handler is called exactly once with exactly what an independent model of
 *      the schema (written below from the contract's rules, not from zod) says: only the schema's
 *      keys, trimmed where the contract trims, on a plain object; and the caller gets
 *      `{ ok: true, value }` with the handler's value; or
 *    - are refused with `{ ok: false, error: { code: 'invalid-input', message } }`, a sentence that
 *      quotes none of the strings that were sent (no passphrase, secret key or MFA code echoed)
 *      and holds no control character, and no handler runs;
 *    never an exception escaping `dispatch`, each call within 1 s, and `Object.prototype` and
 *    `Array.prototype` are never changed.
 *    Split: 600 runs per channel and per property (every channel of the contract, 600 runs each).
 * 3. Unknown channel names (random, and Object.prototype's own names) are refused with
 *    `unknown-channel` and reach no handler (2,000 runs).
 * 4. Errors thrown by a handler come back as an envelope with a sentence (1,800 runs).
 * 5. Through `registerIpc`, a call from anything but the top frame of one of our pages
 *    (app://aws-auth-tray/...) is refused with `untrusted-sender` and reaches no handler; from our
 *    page it goes through the same door (2,000 runs).
 *
 * Regression, found by this fuzzer (property 6): `dispatch` built its sentence for an
 * unexpected error with `String(error)`, which throws for a null-prototype object or one whose
 * toString throws, so that exception escaped dispatch instead of an `unexpected` envelope.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { AUTO_REFRESH_FORMATS } from '../../main/core/exports/auto-refresh-setup.js';
import { EXPORT_FORMATS } from '../../main/core/exports/credential-exports.js';
import { UserFacingError } from '../../main/core/user-facing-error.js';
import { PROFILE_NAME } from '../../main/core/vault/vault-schema.js';
import { ipcContract, SHELL_CHOICES, type Channel, type Result } from '../../main/ipc/ipc-contract.js';
import { dispatch, type Handlers } from '../../main/ipc/ipc-handlers.js';
import { registerIpc } from '../../main/ipc/register-ipc.js';
import { CONTROL_CHARACTER, Tally, within } from './fuzz-support.js';

type Listener = (event: { senderFrame: { url: string; parent: unknown } | null }, input: unknown) => unknown;
const registered = vi.hoisted(() => new Map<string, (event: unknown, input: unknown) => unknown>());
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, listener: (event: unknown, input: unknown) => unknown) => {
      registered.set(channel, listener);
    },
  },
}));

const RUNS_PER_CHANNEL = 600;
const CALL_BOUND_MS = 1_000;
/** Put in generated strings: a refusal must never quote what was sent. */
const MARKER = 'Zq9xMARKx';

// ---- an independent model of each channel's input ----

type Field =
  | { type: 'string'; trim: boolean; min: number; max: number; pattern?: RegExp }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'int'; min: number; max: number; nullable?: boolean }
  | { type: 'boolean' }
  | { type: 'profiles' }
  | { type: 'shortcut' }
  | { type: 'group' }
  | { type: 'command' }
  | { type: 'oath' };
type Model = { kind: 'none' } | { kind: 'object'; fields: Record<string, { field: Field; optional: boolean }> };

const required = (field: Field) => ({ field, optional: false });
const optional = (field: Field) => ({ field, optional: true });
const text = (min: number, max: number, trim = false, pattern?: RegExp): Field => ({ type: 'string', trim, min, max, ...(pattern ? { pattern } : {}) });
const id64 = text(1, 64);
const profileName: Field = { type: 'string', trim: false, min: 0, max: Infinity, pattern: PROFILE_NAME };

/** The contract's rules, restated. */
const MODELS: Record<Channel, Model> = {
  'state:get': { kind: 'none' },
  'identity:save': {
    kind: 'object',
    fields: {
      id: optional(id64),
      label: required(text(1, 64, true)),
      accessKeyId: required(text(0, Infinity, true, /^AKIA[A-Z0-9]{12,124}$/)),
      secretAccessKey: optional(text(16, 128, true)),
      mfaSerial: optional(text(9, 256, true, /^[\w+=/:,.@-]+$/)),
      region: required(text(0, Infinity, true, /^[a-z]{2}(-[a-z]+)+-\d$/)),
      mfaProcess: optional({ type: 'command' }),
      oathAccount: optional({ type: 'oath' }),
    },
  },
  'identity:remove': { kind: 'object', fields: { id: required(id64) } },
  'config:choose-file': { kind: 'none' },
  'config:import': { kind: 'object', fields: { path: optional(text(1, 4096)), importKeys: optional({ type: 'boolean' }) } },
  'session:sign-in': { kind: 'none' },
  'session:sign-out': { kind: 'none' },
  'accounts:verify': { kind: 'object', fields: { profiles: optional({ type: 'profiles' }) } },
  'export:copy': { kind: 'object', fields: { profile: required(profileName), format: required({ type: 'enum', values: EXPORT_FORMATS }) } },
  'export:copy-auto-refresh': { kind: 'object', fields: { profile: required(profileName), format: required({ type: 'enum', values: AUTO_REFRESH_FORMATS }) } },
  'endpoint:rotate-token': { kind: 'none' },
  'settings:update': {
    kind: 'object',
    fields: {
      defaultShell: optional({ type: 'enum', values: SHELL_CHOICES }),
      mfaSessionMinutes: optional({ type: 'int', min: 15, max: 36 * 60 }),
      clipboardClearSeconds: optional({ type: 'int', min: 10, max: 600 }),
      launchAtLogin: optional({ type: 'boolean' }),
      endpointPort: optional({ type: 'int', min: 1024, max: 65_535, nullable: true }),
      renewReminderMinutes: optional({ type: 'int', min: 0, max: 120 }),
      quickSwitcherShortcut: optional({ type: 'shortcut' }),
      keyAgeWarningDays: optional({ type: 'int', min: 1, max: 3_650 }),
      deactivateOldKey: optional({ type: 'boolean' }),
    },
  },
  'notice:dismiss': { kind: 'object', fields: { id: required(id64) } },
  'vault:unlock': { kind: 'object', fields: { passphrase: required(text(8, 1024)) } },
  'mfa:current': { kind: 'none' },
  'mfa:submit': { kind: 'object', fields: { requestId: required(id64), code: required(text(0, 32, true)) } },
  'mfa:cancel': { kind: 'object', fields: { requestId: required(id64) } },
  'mfa:use-yubikey': { kind: 'object', fields: { requestId: required(id64) } },
  'mfa:show': { kind: 'none' },
  'window:open-main': { kind: 'none' },
  'switcher:close': { kind: 'none' },
  'console:open': { kind: 'object', fields: { profile: required(profileName) } },
  'profile:set-preferences': { kind: 'object', fields: { profile: required(profileName), favourite: optional({ type: 'boolean' }), group: optional({ type: 'group' }) } },
  'identity:key-status': { kind: 'object', fields: { id: required(id64) } },
  'identity:rotate': { kind: 'object', fields: { id: required(id64), deleteInactiveKey: optional({ type: 'boolean' }) } },
  'identity:mfa-devices': {
    kind: 'object',
    fields: {
      id: optional(id64),
      accessKeyId: required(text(0, Infinity, true, /^AKIA[A-Z0-9]{12,124}$/)),
      secretAccessKey: optional(text(16, 128, true)),
      region: required(text(0, Infinity, true, /^[a-z]{2}(-[a-z]+)+-\d$/)),
    },
  },
  'identity:rotation-request-seen': { kind: 'object', fields: { requestId: required({ type: 'int', min: 0, max: 1_000_000_000 }) } },
};
const CHANNELS = Object.keys(ipcContract) as Channel[];

/** Electron's accelerator grammar, restated: modifiers (each once, one besides Shift unless the key is F1-F24), then one key. */
const SHORTCUT_MODIFIERS: Record<string, string> = { command: 'cmd', cmd: 'cmd', commandorcontrol: 'cmd', cmdorctrl: 'cmd', control: 'ctrl', ctrl: 'ctrl', alt: 'alt', option: 'alt', altgr: 'alt', shift: 'shift', super: 'super', meta: 'super' };
const SHORTCUT_KEY = /^(?:[A-Za-z0-9]|F(?:[1-9]|1\d|2[0-4])|[)!@#$%^&*(:;<=>?_+`~'",.\-/\\[\]{}|]|plus|space|tab|backspace|delete|insert|return|enter|up|down|left|right|home|end|pageup|pagedown|escape|esc|printscreen|num[0-9]|numdec|numadd|numsub|nummult|numdiv)$/i;
function isShortcut(text: string): boolean {
  if (text.length > 64) return false;
  const parts = text.endsWith('++') ? [...text.slice(0, -2).split('+'), 'plus'] : text.split('+');
  const key = parts.pop() ?? '';
  const modifiers = parts.map((p) => SHORTCUT_MODIFIERS[p.toLowerCase()]);
  if (!SHORTCUT_KEY.test(key) || modifiers.some((m) => m === undefined) || new Set(modifiers).size !== modifiers.length) return false;
  return modifiers.some((m) => m !== 'shift') || /^F\d+$/i.test(key);
}

/** A group: printable characters (no control or format characters, line or paragraph separators, or spaces other than the plain one). */
const GROUP = /^(?:[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}]| )+$/u;

/** No control or format characters, line or paragraph separators: one line of printable text. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * The words of a POSIX shell line as Python's shlex reads it (written here apart from the
 * product's splitter): quotes group, a backslash outside single quotes escapes the next
 * character (inside double quotes only \\ and \"), spaces separate. Undefined when a quote is
 * left open or the line ends in a backslash.
 */
function posixWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  const chars = [...line];
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (chars[i + 1] === '"' || chars[i + 1] === '\\')) word += chars[++i] ?? '';
      else word += c;
    } else if (c === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '\\') {
      if (i + 1 >= chars.length) return undefined;
      word = (word ?? '') + (chars[++i] ?? '');
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else word = (word ?? '') + c;
  }
  if (quote !== undefined) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}

type Verdict = { ok: true; value: unknown } | { ok: false };
const REFUSED: Verdict = { ok: false };

function checkField(field: Field, value: unknown): Verdict {
  switch (field.type) {
    case 'string': {
      if (typeof value !== 'string') return REFUSED;
      const s = field.trim ? value.trim() : value;
      // The contract's lengths count code points (a surrogate pair is one character; zod 4 does so).
      const length = [...s].length;
      return length >= field.min && length <= field.max && (field.pattern === undefined || field.pattern.test(s)) ? { ok: true, value: s } : REFUSED;
    }
    case 'enum':
      return typeof value === 'string' && field.values.includes(value) ? { ok: true, value } : REFUSED;
    case 'int':
      if (value === null && field.nullable) return { ok: true, value };
      return typeof value === 'number' && Number.isInteger(value) && value >= field.min && value <= field.max ? { ok: true, value } : REFUSED;
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : REFUSED;
    case 'group': {
      if (value === null) return { ok: true, value };
      if (typeof value !== 'string') return REFUSED;
      const s = value.trim();
      return [...s].length >= 1 && [...s].length <= 64 && GROUP.test(s) ? { ok: true, value: s } : REFUSED;
    }
    case 'shortcut': {
      if (typeof value !== 'string') return REFUSED;
      const s = value.trim();
      return s === '' || isShortcut(s) ? { ok: true, value: s } : REFUSED;
    }
    case 'command': {
      // mfa_process: trimmed; '' removes it; else one line, at most 1,024 characters, that names a program.
      if (typeof value !== 'string') return REFUSED;
      const s = value.trim();
      if (s === '') return { ok: true, value: s };
      const words = posixWords(s);
      return s.length <= 1024 && !UNPRINTABLE.test(s) && words !== undefined && words.length > 0 && words[0] !== '' ? { ok: true, value: s } : REFUSED;
    }
    case 'oath': {
      // The YubiKey's OATH account: trimmed; '' removes it; else printable, at most 64 bytes (UTF-8).
      if (typeof value !== 'string') return REFUSED;
      const s = value.trim();
      return s === '' || (!UNPRINTABLE.test(s) && Buffer.byteLength(s, 'utf8') <= 64) ? { ok: true, value: s } : REFUSED;
    }
    case 'profiles': {
      if (!Array.isArray(value) || value.length > 500) return REFUSED;
      const items = Array.from({ length: value.length }, (_, i) => value[i] as unknown);
      return items.every((item) => typeof item === 'string' && PROFILE_NAME.test(item)) ? { ok: true, value: items } : REFUSED;
    }
  }
}

/** What the handler must receive for `input`, or that it is refused. */
function expected(model: Model, input: unknown): Verdict {
  if (model.kind === 'none') return input === undefined ? { ok: true, value: undefined } : REFUSED;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return REFUSED;
  const out: Record<string, unknown> = {};
  for (const [key, { field, optional: isOptional }] of Object.entries(model.fields)) {
    const value = (input as Record<string, unknown>)[key];
    if (value === undefined) {
      if (!isOptional) return REFUSED;
      if (key in input) out[key] = undefined;
      continue;
    }
    const verdict = checkField(field, value);
    if (!verdict.ok) return REFUSED;
    out[key] = verdict.value;
  }
  return { ok: true, value: out };
}

// ---- generating inputs ----

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'valueOf', 'hasOwnProperty'] as const;
const SCHEMA_KEYS = [...new Set(Object.values(MODELS).flatMap((m) => (m.kind === 'object' ? Object.keys(m.fields) : [])))];

const anyKey = fc.oneof(fc.constantFrom(...POLLUTING_KEYS, ...SCHEMA_KEYS), fc.string({ maxLength: 8 }));
const anythingAtAll = fc.anything({
  key: anyKey,
  maxDepth: 3,
  maxKeys: 6,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withObjectString: true,
});

const hugeString = fc.tuple(fc.constantFrom('a', ' ', 'A', '💥', MARKER), fc.integer({ min: 1_000, max: 100_000 })).map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));
const deep = fc.tuple(fc.integer({ min: 10, max: 1_000 }), fc.boolean()).map(([depth, asArray]) => {
  let value: unknown = MARKER;
  for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { [MARKER]: value };
  return value;
});
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -0, 1, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2, 1e308, 5e-324, '', [], {}, [MARKER], { [MARKER]: MARKER }),
  fc.bigInt(),
  fc.constant(Object.create(null) as object),
  fc.constantFrom(new String(MARKER), new Number(3), new Boolean(true)),
  fc.date(),
  deep,
);
const withMarker = (s: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof(s, s.map((v) => `${v}${MARKER}`), s.map((v) => `${MARKER}${v}`));
const spaces = fc.constantFrom('', ' ', '  ', '\t', '\n', '\u00a0', '\ufeff', '\u2028');

function fieldValue(field: Field): fc.Arbitrary<unknown> {
  const near: fc.Arbitrary<unknown>[] = [];
  switch (field.type) {
    case 'string': {
      const valid = field.pattern ? fc.stringMatching(field.pattern).filter((s) => s.length >= field.min && s.length <= field.max) : fc.string({ minLength: field.min, maxLength: Math.min(field.max, 80) });
      const lengths = [field.min - 1, field.min, field.max, field.max + 1].filter((n) => n >= 0 && Number.isFinite(n) && n <= 5_000);
      near.push(
        withMarker(valid),
        fc.tuple(spaces, valid, spaces).map(([a, v, b]) => a + v + b),
        ...lengths.map((n) => fc.constantFrom('x', 'A', ' ', MARKER.slice(0, 1)).map((c) => (c === ' ' ? `${'x'.repeat(Math.max(n - 2, 0))}  `.slice(0, n) : c.repeat(n)))),
        withMarker(fc.string({ unit: 'binary', maxLength: 70 })),
        hugeString,
      );
      if (field.pattern) near.push(valid.map((s) => s.toLowerCase()), valid.map((s) => `${s}\n`), valid.map((s) => s.slice(1)));
      return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 4, arbitrary: fc.oneof(...near) }, { weight: 2, arbitrary: wrongType });
    }
    case 'enum':
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...field.values) }, { weight: 2, arbitrary: fc.constantFrom(...field.values).map((v) => v.toUpperCase()) }, { weight: 1, arbitrary: fc.constantFrom(...field.values).map((v) => ` ${v}`) }, { weight: 1, arbitrary: withMarker(fc.string()) }, { weight: 2, arbitrary: wrongType });
    case 'int':
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: field.min, max: field.max }) },
        { weight: 3, arbitrary: fc.constantFrom(field.min - 1, field.min, field.max, field.max + 1, field.min + 0.5, -field.min, String(field.min), null) },
        { weight: 1, arbitrary: fc.double() },
        { weight: 2, arbitrary: wrongType },
      );
    case 'boolean':
      return fc.oneof({ weight: 4, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('true', 1, 0, null) }, { weight: 2, arbitrary: wrongType });
    case 'profiles': {
      const name = fc.oneof({ weight: 5, arbitrary: fc.stringMatching(PROFILE_NAME) }, { weight: 1, arbitrary: withMarker(fc.string({ maxLength: 20 })) }, { weight: 1, arbitrary: wrongType });
      return fc.oneof(
        { weight: 4, arbitrary: fc.array(fc.stringMatching(PROFILE_NAME), { maxLength: 10 }) },
        { weight: 3, arbitrary: fc.array(name, { maxLength: 10 }) },
        { weight: 1, arbitrary: fc.integer({ min: 499, max: 502 }).map((n) => Array.from({ length: n }, (_, i) => `p${i}`)) },
        { weight: 1, arbitrary: fc.sparseArray(fc.stringMatching(PROFILE_NAME), { maxLength: 6 }) },
        { weight: 2, arbitrary: wrongType },
      );
    }
    case 'group': {
      const valid = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 });
      return fc.oneof(
        { weight: 4, arbitrary: valid },
        { weight: 2, arbitrary: fc.constantFrom(null, '', ' ', 'payments', ' payments ', 'pay\u200bments', 'pay\u00a0ments', 'a'.repeat(64), 'a'.repeat(65), 'x\ny', '\u202eevil', '💥'.repeat(64), '💥'.repeat(65)) },
        { weight: 1, arbitrary: withMarker(fc.string({ unit: 'binary', maxLength: 70 })) },
        { weight: 1, arbitrary: hugeString },
        { weight: 2, arbitrary: wrongType },
      );
    }
    case 'command':
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('ykman oath accounts code --single alice', 'op item get aws --otp', "sh -c 'pass otp aws | head -1'", '"/opt/my tools/otp" --now', 'otp\\ tool', ' totp ', '') },
        { weight: 3, arbitrary: fc.constantFrom("echo 'open", 'echo "open', 'ends\\', "''", '"" x', 'a\nb', 'a\tb', '\u202eevil', 'x\u200by', 'a'.repeat(1024), 'a'.repeat(1025), '💥'.repeat(600), '"a\\"b"', "it's") },
        { weight: 2, arbitrary: withMarker(fc.string({ unit: 'binary', maxLength: 70 })) },
        { weight: 1, arbitrary: fc.tuple(spaces, fc.constantFrom('otp', "'x y'"), spaces).map(([a, v, b]) => a + v + b) },
        { weight: 2, arbitrary: wrongType },
      );
    case 'oath':
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('Amazon Web Services:alice@111111111111', 'arn:aws:iam::111111111111:mfa/alice', ' alice ', '', 'a'.repeat(64), 'a'.repeat(65), 'é'.repeat(32), 'é'.repeat(33), 'x\ny', '\u202eevil') },
        { weight: 2, arbitrary: withMarker(fc.string({ unit: 'binary', maxLength: 70 })) },
        { weight: 2, arbitrary: wrongType },
      );
    case 'shortcut': {
      const modifier = fc.constantFrom('CommandOrControl', 'CmdOrCtrl', 'Ctrl', 'Control', 'Alt', 'Option', 'Shift', 'Super', 'Meta', 'Cmd', 'Hyper', 'ctrl', '');
      const key = fc.constantFrom('A', 'z', '0', 'F1', 'F12', 'F25', 'Space', 'Plus', '+', 'Enter', 'Banana', '', 'Ä', '\u001b', MARKER);
      const shortcut = fc.tuple(fc.array(modifier, { maxLength: 4 }), key).map(([mods, k]) => [...mods, k].join('+'));
      return fc.oneof(
        { weight: 5, arbitrary: shortcut },
        { weight: 1, arbitrary: fc.tuple(spaces, shortcut, spaces).map(([a, v, b]) => a + v + b) },
        { weight: 1, arbitrary: withMarker(fc.string({ maxLength: 70 })) },
        { weight: 1, arbitrary: fc.constant('') },
        { weight: 2, arbitrary: wrongType },
      );
    }
  }
}

/** An own key, even `__proto__` (assignment would set the prototype instead). */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

const pollutingValue = fc.constantFrom<unknown>({ polluted: MARKER }, { prototype: { polluted: MARKER } }, { __proto__: { polluted: MARKER } }, JSON.parse(`{"__proto__":{"polluted":"${MARKER}"}}`) as unknown, MARKER, null);

function shapedInput(model: Model): fc.Arbitrary<unknown> {
  const junk = fc.oneof(wrongType, fc.constantFrom(undefined, null, {}, [], 0, '', false), anythingAtAll);
  if (model.kind === 'none') {
    return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: junk }, { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__":{"polluted":1}}') as unknown) });
  }
  const entries = Object.entries(model.fields).map(([key, { field }]) =>
    fc.oneof({ weight: 8, arbitrary: fieldValue(field).map((value) => ({ key, value, present: true })) }, { weight: 1, arbitrary: fc.constant({ key, value: undefined, present: false }) }, { weight: 1, arbitrary: fc.constant({ key, value: undefined, present: true }) }),
  );
  const extras = fc.array(fc.record({ key: fc.oneof(fc.constantFrom(...POLLUTING_KEYS, ...SCHEMA_KEYS), fc.string({ maxLength: 10 })), value: fc.oneof(pollutingValue, wrongType) }), { maxLength: 3 });
  const shaped = fc.record({ fields: fc.tuple(...entries), extras, nullPrototype: fc.boolean(), extrasFirst: fc.boolean() }).map(({ fields, extras: more, nullPrototype, extrasFirst }) => {
    const target: object = nullPrototype ? (Object.create(null) as object) : {};
    const put = (list: { key: string; value: unknown; present?: boolean }[]): void => {
      for (const { key, value, present = true } of list) if (present) define(target, key, value);
    };
    if (extrasFirst) put(more);
    put(fields);
    if (!extrasFirst) put(more);
    return target;
  });
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: junk });
}

// ---- the door, observed ----

const protoNames = (o: object): string => Object.getOwnPropertyNames(o).sort().join(',');
const OBJECT_PROTO = protoNames(Object.prototype);
const ARRAY_PROTO = protoNames(Array.prototype);

function assertUnpolluted(): void {
  if (protoNames(Object.prototype) !== OBJECT_PROTO || protoNames(Array.prototype) !== ARRAY_PROTO) throw new Error('a built-in prototype gained or lost a property');
  if (({} as Record<string, unknown>).polluted !== undefined || ([] as unknown as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted');
}

interface Recorder {
  handlers: Handlers;
  calls: { channel: string; input: unknown }[];
  answer: { token: string };
}

function recorder(): Recorder {
  const calls: { channel: string; input: unknown }[] = [];
  const answer = { token: 'the handler answered' };
  const handlers = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      (input: unknown) => {
        calls.push({ channel, input });
        return answer;
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls, answer };
}

const tallies = { anything: new Tally(), shaped: new Tally() };

function isPlainShape(value: unknown, model: Model): boolean {
  if (model.kind === 'none') return value === undefined;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.keys(value).every((key) => key in model.fields) && Object.getOwnPropertySymbols(value).length === 0;
}

async function throughTheDoor(channel: Channel, input: unknown, tally: Tally): Promise<void> {
  const model = MODELS[channel];
  const verdict = expected(model, input);
  const { handlers, calls, answer } = recorder();
  const started = performance.now();
  let result: Result<unknown>;
  try {
    result = await within(CALL_BOUND_MS, `dispatch(${channel})`, () => dispatch(handlers, channel, input));
  } catch (error) {
    throw new Error(`an exception escaped dispatch(${channel})`, { cause: error });
  }
  tally.time(performance.now() - started);
  assertUnpolluted();
  if (verdict.ok) {
    if (!result.ok) throw new Error(`${channel}: refused an input the contract accepts: ${result.error.message.slice(0, 300)}`);
    expect(result).toStrictEqual({ ok: true, value: answer });
    expect(result.value).toBe(answer);
    expect(calls).toHaveLength(1);
    const received = calls[0]?.input;
    expect(received).toStrictEqual(verdict.value);
    if (!isPlainShape(received, model)) throw new Error(`${channel}: the handler got something other than the schema's plain shape`);
    tally.count('passed');
  } else {
    if (result.ok) throw new Error(`${channel}: passed an input the contract refuses; the handler got ${JSON.stringify(calls[0]?.input)?.slice(0, 300)}`);
    expect(calls).toEqual([]);
    expect(Object.keys(result).sort()).toEqual(['error', 'ok']);
    expect(Object.keys(result.error).sort()).toEqual(['code', 'message']);
    expect(result.error.code).toBe('invalid-input');
    const { message } = result.error;
    expect(message.startsWith('That request was not valid, so nothing was changed (')).toBe(true);
    expect(message.endsWith(').')).toBe(true);
    if (message.includes(MARKER)) throw new Error(`${channel}: the refusal quotes what was sent: ${message.slice(0, 300)}`);
    if (CONTROL_CHARACTER.test(message)) throw new Error(`${channel}: a control character in ${JSON.stringify(message.slice(0, 300))}`);
    tally.count('refused');
  }
}

describe('IPC contract fuzzing', () => {
  it('every channel of the contract has a model here (and nothing else does)', () => {
    expect(Object.keys(MODELS).sort()).toEqual([...CHANNELS].sort());
    expect(CHANNELS.length * RUNS_PER_CHANNEL).toBeGreaterThanOrEqual(10_000);
  }, 30_000);

  describe.each(CHANNELS)('%s', (channel) => {
    it(`arbitrary values: the contract's exact shape reaches the handler, anything else is refused (${RUNS_PER_CHANNEL})`, async () => {
      await fc.assert(
        fc.asyncProperty(anythingAtAll, (input) => throughTheDoor(channel, input, tallies.anything)),
        { numRuns: RUNS_PER_CHANNEL },
      );
    }, 60_000);

    it(`values shaped like its input (wrong types, boundaries, huge, nested, extra and __proto__ keys) (${RUNS_PER_CHANNEL})`, async () => {
      await fc.assert(
        fc.asyncProperty(shapedInput(MODELS[channel]), (input) => throughTheDoor(channel, input, tallies.shaped)),
        { numRuns: RUNS_PER_CHANNEL },
      );
    }, 60_000);
  });

  it('prints what the two properties exercised', () => {
    console.info(tallies.anything.summary('IPC, arbitrary values, all channels'));
    console.info(tallies.shaped.summary('IPC, shaped values, all channels'));
  }, 30_000);

  it('unknown channel names are refused and reach no handler (2,000)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype), ...CHANNELS.map((c) => c.toUpperCase()), ...CHANNELS.map((c) => ` ${c}`))), anythingAtAll, async (name, input) => {
        fc.pre(!(CHANNELS as string[]).includes(name));
        const { handlers, calls } = recorder();
        const result = await dispatch(handlers, name, input);
        expect(result).toEqual({ ok: false, error: { code: 'unknown-channel', message: `There is no operation called ${name}.` } });
        expect(calls).toEqual([]);
        assertUnpolluted();
      }),
      { numRuns: 2_000 },
    );
  }, 30_000);

  /** A valid input for each channel, from the model's own generator. */
  const validInput = (channel: Channel): fc.Arbitrary<unknown> => shapedInput(MODELS[channel]).filter((input) => expected(MODELS[channel], input).ok);
  const ordinaryThrowable: fc.Arbitrary<unknown> = fc.oneof(
    fc.tuple(fc.string({ maxLength: 20 }), fc.string()).map(([code, message]) => new UserFacingError(code, message)),
    fc.string().map((message) => new Error(message)),
    fc.string().map((message) => new TypeError(message)),
    fc.constantFrom<unknown>('a string', 42, undefined, null, { message: 'not an Error' }, Symbol('thrown')),
  );

  it('whatever ordinary value a handler throws comes back as an envelope with a sentence (1,800)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS).chain((channel) => fc.tuple(fc.constant(channel), validInput(channel))), ordinaryThrowable, fc.boolean(), async ([channel, input], thrown, asRejection) => {
        const fail = (): never => {
          throw thrown;
        };
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- likewise
        const handlers = Object.fromEntries(CHANNELS.map((c) => [c, asRejection ? () => Promise.reject(thrown) : fail])) as unknown as Handlers;
        const result = await dispatch(handlers, channel, input);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(typeof result.error.message).toBe('string');
        if (thrown instanceof UserFacingError) expect(result.error).toEqual({ code: thrown.code, message: thrown.message });
        else expect(result.error.code).toBe('unexpected');
      }),
      { numRuns: CHANNELS.length * 100 },
    );
  }, 30_000);

  // Regression, found by this fuzzer: String() on a thrown null-prototype object threw inside
  // dispatch's catch-all.
  it('whatever a handler throws, even a value String() cannot convert, comes back as an envelope', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS).chain((channel) => fc.tuple(fc.constant(channel), validInput(channel))), fc.constantFrom('null-prototype', 'throwing-toString'), async ([channel, input], kind) => {
        const thrown: unknown = kind === 'null-prototype' ? Object.create(null) : { toString: () => { throw new Error('no'); } };
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what a handler might throw is the point
        const handlers = Object.fromEntries(CHANNELS.map((c) => [c, () => Promise.reject(thrown)])) as unknown as Handlers;
        const result = await dispatch(handlers, channel, input);
        expect(result).toMatchObject({ ok: false, error: { code: 'unexpected' } });
      }),
      { numRuns: 50 },
    );
  }, 30_000);

  it('through registerIpc, only the top frame of one of our pages reaches the door (2,000)', async () => {
    const { handlers, calls } = recorder();
    registered.clear();
    registerIpc(handlers);
    expect([...registered.keys()].sort()).toEqual([...CHANNELS].sort());
    const OURS = 'app://aws-auth-tray/';
    const url = fc.oneof(
      fc.webPath().map((path) => `${OURS}${path.replace(/^\//, '')}`),
      fc.constantFrom(OURS, 'app://aws-auth-tray', 'app://aws-auth-tray.evil/', 'app://aws-auth-tray@evil/', 'app://evil/aws-auth-tray/', 'APP://aws-auth-tray/', 'app:/aws-auth-tray/', 'app:///aws-auth-tray/', ' app://aws-auth-tray/', 'app://aws-auth-tray:443/', 'http://aws-auth-tray/', 'file:///app/aws-auth-tray/', 'devtools://devtools/', 'about:blank', ''),
      fc.webUrl(),
      fc.string(),
    );
    const frame = fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 8, arbitrary: fc.record({ url, parent: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant({}) }) }) });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), frame, fc.oneof(anythingAtAll, fc.constant(undefined)), async (channel, senderFrame, input) => {
        calls.length = 0;
        const listener = registered.get(channel) as Listener | undefined;
        if (!listener) throw new Error(`${channel} was not registered`);
        const result = (await listener({ senderFrame }, input)) as Result<unknown>;
        const trusted = senderFrame !== null && senderFrame.parent === null && senderFrame.url.startsWith(OURS);
        if (trusted) {
          // Ours by any reading of the URL, not only by its prefix.
          const parsed = URL.canParse(senderFrame.url) ? new URL(senderFrame.url) : undefined;
          if (parsed) expect([parsed.protocol, parsed.host]).toEqual(['app:', 'aws-auth-tray']);
          expect(calls.length).toBe(result.ok ? 1 : 0);
          expect(result).toEqual(await dispatch(recorder().handlers, channel, input));
        } else {
          expect(result).toEqual({ ok: false, error: { code: 'untrusted-sender', message: 'This page may not talk to AWS Auth Tray.' } });
          expect(calls).toEqual([]);
        }
      }),
      { numRuns: 2_000 },
    );
  }, 60_000);
});
