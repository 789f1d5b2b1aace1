import { shown } from './profile-values.js';

/**
 * Parses the text of an AWS config or credentials file exactly as the AWS CLI does: botocore
 * reads it with Python's `configparser.RawConfigParser` (default settings) and then turns every
 * value that begins with a line break into a nested block (`s3 =` followed by indented
 * `key = value` lines). The AWS SDK for JavaScript's INI loader differs from it in many places
 * (comments after values, `[profile  x]`, quoted names, duplicates, `[DEFAULT]`, syntax errors),
 * and users run the AWS CLI, so this reader follows configparser, rule by rule:
 *
 * - Lines end at LF, CR or CRLF; whitespace is Python's (`str.isspace`), not JavaScript's `\s`.
 * - A line whose stripped text starts with `#` or `;` is a comment. There are no inline
 *   comments: `region = us-east-1 # home` has the value `us-east-1 # home`.
 * - `[header]` runs from the first `[` to the last `]` of the line; the rest of the line is
 *   ignored. `[DEFAULT]` is not a section: its keys are given to every section that lacks them.
 * - `key = value` or `key: value`, split at the first `=` or `:`; keys are lower-cased.
 * - A line indented deeper than the key line continues its value (joined with line breaks),
 *   even if it looks like a section header; empty lines inside a value are kept.
 * - A section or key that appears twice, a line before the first section, and a line that is
 *   neither a header nor `key = value` make the whole file unreadable: the AWS CLI answers
 *   "Unable to parse config file" and uses none of it, so the caller must refuse it too.
 * - A nested block line without `=` makes the whole file unreadable as well.
 */

/** A key's value: text, or a nested block (`s3 =` / `  addressing_style = path`). */
export type IniValue = string | ReadonlyMap<string, string>;

export interface IniSection {
  /** The header text between the brackets, unchanged (`profile  security `). */
  header: string;
  /** 1-based line of the header. */
  line: number;
  /** Keys (lower-cased) in file order, then `[DEFAULT]`'s keys that the section lacks. */
  values: ReadonlyMap<string, IniValue>;
}

export interface IniFile {
  sections: IniSection[];
  /** Line of the first `[DEFAULT]` header, when the file has one. */
  defaultSectionLine?: number;
}

export interface IniSyntaxProblem {
  line: number;
  /** What is wrong, as a phrase: `a line before the first [section]`. */
  reason: string;
}

/** The text is not what configparser (and so the AWS CLI) accepts; `problems` say where. */
export class IniSyntaxError extends Error {
  constructor(readonly problems: readonly IniSyntaxProblem[]) {
    super(problems.map((p) => `line ${p.line}: ${p.reason}`).join('; '));
    this.name = 'IniSyntaxError';
  }
}

/** Python's `str.isspace()` characters (its `strip()` and its regular expressions' `\s`). */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const IS_PY_SPACE = new RegExp(`^[${PY_SPACE}]$`);
const NON_SPACE = new RegExp(`[^${PY_SPACE}]`);
/** configparser's SECTCRE: `\[(?P<header>.+)\]`, matched at the start (greedy: to the last `]`). */
const SECTION_HEADER = /^\[([^\n]+)\]/;
/** What Python's `str.splitlines()` splits at (used for nested blocks only). */
const PY_LINE_BREAK_CHARS = '\\n\\r\\v\\f\\x1c\\x1d\\x1e\\x85\\u2028\\u2029';
const PY_LINE_BREAKS = new RegExp(`\\r\\n|[${PY_LINE_BREAK_CHARS}]`);

const DEFAULT_SECTION = 'DEFAULT';

// Stripping is done by hand, not with /\s+$/: that pattern backtracks quadratically on a long
// run of spaces inside a line, and a hostile file may have one.
function isPySpace(char: string): boolean {
  return IS_PY_SPACE.test(char);
}

function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPySpace(text.charAt(end - 1))) end -= 1;
  return text.slice(0, end);
}

function pyStrip(text: string): string {
  let start = 0;
  while (start < text.length && isPySpace(text.charAt(start))) start += 1;
  return pyRstrip(text.slice(start));
}

function isComment(stripped: string): boolean {
  return stripped.startsWith('#') || stripped.startsWith(';');
}

/** Lines as Python's text files yield them (universal newlines), without their line break. */
function lines(text: string): string[] {
  const all = text.split(/\r\n|\r|\n/);
  if (all.at(-1) === '') all.pop();
  return all;
}

interface RawSection {
  header: string;
  line: number;
  options: Map<string, string[]>;
}

/** botocore's `_parse_nested`: each non-empty line of the block must be `key = value`. */
function parseNested(value: string, section: RawSection, key: string): ReadonlyMap<string, string> {
  const nested = new Map<string, string>();
  for (const raw of value.split(PY_LINE_BREAKS)) {
    const line = pyStrip(raw);
    if (!line) continue;
    const at = line.indexOf('=');
    if (at < 0) {
      throw new IniSyntaxError([
        { line: section.line, reason: `in the section starting here, the nested block under ${shown(key)} has a line without "="` },
      ]);
    }
    nested.set(pyStrip(line.slice(0, at)), pyStrip(line.slice(at + 1)));
  }
  return nested;
}

/** Parses the file's text; throws IniSyntaxError where the AWS CLI would refuse the file. */
export function parseBotocoreIni(text: string): IniFile {
  const sections = new Map<string, RawSection>();
  const defaults = new Map<string, string[]>();
  let defaultSectionLine: number | undefined;
  /** Keys seen per section header (configparser refuses a key twice in one section, [DEFAULT] included). */
  const seenOptions = new Map<string, Set<string>>();
  const problems: IniSyntaxProblem[] = [];
  let current: Map<string, string[]> | undefined;
  let currentHeader = '';
  let option = '';
  let indentLevel = 0;

  lines(text).forEach((line, index) => {
    const lineNumber = index + 1;
    const stripped = pyStrip(line);
    const comment = isComment(stripped);
    const value = comment ? '' : stripped;
    if (!value) {
      // An empty line belongs to the value being read (configparser's empty_lines_in_values).
      if (!comment && current && option) current.get(option)?.push('');
      return;
    }
    const indent = NON_SPACE.exec(line)?.index ?? 0;
    if (current && option && indent > indentLevel) {
      current.get(option)?.push(value);
      return;
    }
    indentLevel = indent;
    const header = SECTION_HEADER.exec(value);
    if (header) {
      const name = header[1] ?? '';
      if (sections.has(name)) {
        throw new IniSyntaxError([{ line: lineNumber, reason: 'this [section] appears a second time (a section may appear only once)' }]);
      }
      if (name === DEFAULT_SECTION) {
        current = defaults;
        defaultSectionLine ??= lineNumber;
      } else {
        current = new Map();
        sections.set(name, { header: name, line: lineNumber, options: current });
      }
      currentHeader = name;
      option = '';
      return;
    }
    if (!current) throw new IniSyntaxError([{ line: lineNumber, reason: 'a line before the first [section]' }]);
    // configparser's OPTCRE: the key is everything before the first "=" or ":".
    const delimiter = value.search(/[=:]/);
    if (delimiter < 0) {
      problems.push({ line: lineNumber, reason: 'neither a [section] header nor a key = value line' });
      return;
    }
    const rawKey = pyRstrip(value.slice(0, delimiter));
    if (!rawKey) problems.push({ line: lineNumber, reason: 'a value without a key' });
    option = rawKey.toLowerCase();
    const seen = seenOptions.get(currentHeader) ?? new Set<string>();
    seenOptions.set(currentHeader, seen);
    if (seen.has(option)) {
      throw new IniSyntaxError([{ line: lineNumber, reason: 'this key appears a second time in its section (a key may appear only once per section)' }]);
    }
    seen.add(option);
    current.set(option, [pyStrip(value.slice(delimiter + 1))]);
  });
  if (problems.length > 0) throw new IniSyntaxError(problems);

  const join = (parts: string[]): string => pyRstrip(parts.join('\n'));
  const defaultValues = new Map([...defaults].map(([key, parts]) => [key, join(parts)]));
  return {
    sections: [...sections.values()].map((section) => {
      const values = new Map<string, IniValue>();
      const joined = new Map([...section.options].map(([key, parts]) => [key, join(parts)]));
      for (const [key, text] of [...joined, ...[...defaultValues].filter(([key]) => !joined.has(key))]) {
        values.set(key, text.startsWith('\n') ? parseNested(text, section, key) : text);
      }
      return { header: section.header, line: section.line, values };
    }),
    ...(defaultSectionLine !== undefined ? { defaultSectionLine } : {}),
  };
}
