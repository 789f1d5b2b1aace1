/**
 * Config files made of the fragments where INI readers disagree (headers with odd spacing and
 * quotes, continuation lines, comments, nested blocks, whitespace that only Python strips,
 * [DEFAULT], CR/CRLF/LF), mixed at random from a fixed seed: the same files on every run, so a
 * failure can be reproduced, but far more combinations than anyone would write by hand. The
 * conformance test asks the AWS CLI about each of them as it does for the corpus.
 */

export interface GeneratedFile {
  id: string;
  config: string;
  credentials: string | undefined;
}

/** mulberry32: a small, fast, good-enough PRNG with a 32-bit state. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const HEADERS = [
  '[profile p1]',
  '[profile p2]',
  '[profile  p1 ]',
  '[profile\tp3]',
  '[profile "p 4"]',
  "[profile 'p5']",
  '[profile p\\ 6]',
  '[profile "p7]',
  '[profile p8] trailing words',
  '[[profile p9]]',
  '[profilep10]',
  '[Profile p11]',
  '[default]',
  '[profile default]',
  '[ default ]',
  '[DEFAULT]',
  '[sso-session s1]',
  '[services s2]',
  '  [profile p12]',
  '[profile p13]]',
  '[profile\u00a0p14]',
];

/** Keys the lines use (all asked about by the test); `KEY` in a line is one of them, `Key` the same in mixed case. */
const KEYS = ['region', 'output', 'mfa_serial', 'role_arn', 'source_profile', 'external_id', 'role_session_name', 'duration_seconds'];

/** Weighted: most lines keep the file readable, a few make the AWS CLI refuse it. */
const LINES: readonly [string, number][] = [
  ['KEY = us-east-1', 6],
  ['KEY=eu-west-1', 3],
  ['Key : ap-south-1', 2],
  ['KEY = arn:aws:iam::222222222222:role/engineer', 3],
  ['KEY=arn:aws:iam::333333333333:role/a=b', 2],
  ['KEY = p1', 2],
  ['KEY = "p 4"', 1],
  ['KEY = eu-west-1 # Ireland', 2],
  ['KEY = ; not a comment', 1],
  ['KEY =', 2],
  ['  KEY = indented', 3],
  ['\tKEY\t=\tus-west-2', 2],
  ['KEY = us-east-1\u001c', 2],
  ['KEY = \u00a0us-east-2\u00a0', 2],
  ['KEY = \ufeffus-east-1', 1],
  ['s3 =', 3],
  ['  addressing_style = path', 3],
  ['  max_concurrent_requests: 10', 1],
  ['    continued text', 2],
  ['# comment', 3],
  ['; comment', 2],
  ['  # indented comment', 2],
  ['', 5],
  ['   ', 2],
  ['= no key', 1],
  ['no delimiter', 1],
  ['key:with=both', 1],
];
const LINE_WEIGHT = LINES.reduce((sum, [, weight]) => sum + weight, 0);

export function generatedConfigFiles(count: number, seed = 20_240_917): GeneratedFile[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const template = (): string => {
    let roll = next() * LINE_WEIGHT;
    for (const [text, weight] of LINES) {
      roll -= weight;
      if (roll < 0) return text;
    }
    return '';
  };
  const file = (sections: number): string => {
    const out: string[] = [];
    if (next() < 0.5) out.push('# generated');
    for (let s = 0; s < sections; s += 1) {
      out.push(pick(HEADERS));
      // Mostly a different key per line: a key twice makes the whole file unreadable, which a few should be.
      const unused = [...KEYS];
      const lines = Math.floor(next() * 5);
      for (let l = 0; l < lines; l += 1) {
        const key = next() < 0.05 || unused.length === 0 ? pick(KEYS) : unused.splice(Math.floor(next() * unused.length), 1)[0] ?? 'region';
        out.push(template().replace('KEY', key).replace('Key', key.replace(/(^|_)([a-z])/g, (_, sep: string, c: string) => `${sep}${c.toUpperCase()}`)));
      }
    }
    const newline = pick(['\n', '\n', '\r\n', '\r']);
    return out.join(newline) + (next() < 0.8 ? newline : '');
  };
  return Array.from({ length: count }, (_, i) => ({
    id: `generated-${String(i + 1).padStart(3, '0')}`,
    config: file(1 + Math.floor(next() * 4)),
    credentials: next() < 0.3 ? file(1 + Math.floor(next() * 2)) : undefined,
  }));
}
