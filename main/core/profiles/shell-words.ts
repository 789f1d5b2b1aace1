/**
 * Splits a section header into words the way Python's `shlex.split` does (POSIX mode, no
 * comments), because that is how botocore turns `[profile "quoted name"]` or
 * `[profile  security ]` into a profile name. Whitespace is only space, tab, CR and LF (not
 * Unicode spaces); single quotes keep everything literally; inside double quotes a backslash only
 * escapes `"` and `\`; outside quotes it escapes any character; `""` is an empty word.
 *
 * Returns undefined where shlex raises ValueError (an unclosed quote, a trailing backslash):
 * botocore then ignores the section.
 */

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

type State = 'between' | 'word' | 'single' | 'double';

export function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let state: State = 'between';
  let word = '';
  // A quoted empty string ("") is still a word: shlex tracks that it saw quotes.
  let quoted = false;
  const chars = [...text];
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i] ?? '';
    switch (state) {
      case 'between':
      case 'word':
        if (WHITESPACE.has(c)) {
          if (state === 'word') {
            words.push(word);
            word = '';
            quoted = false;
          }
          state = 'between';
        } else if (c === '\\') {
          if (i + 1 >= chars.length) return undefined; // "No escaped character"
          i += 1;
          word += chars[i] ?? '';
          state = 'word';
        } else if (c === "'") {
          state = 'single';
          quoted = true;
        } else if (c === '"') {
          state = 'double';
          quoted = true;
        } else {
          word += c;
          state = 'word';
        }
        break;
      case 'single':
        if (c === "'") state = 'word';
        else word += c;
        break;
      case 'double':
        if (c === '"') state = 'word';
        else if (c === '\\') {
          if (i + 1 >= chars.length) return undefined; // EOF in escape state
          i += 1;
          const next = chars[i] ?? '';
          // In POSIX shells only the quote itself or the backslash may be escaped within quotes.
          word += next === '"' || next === '\\' ? next : `\\${next}`;
        } else word += c;
        break;
      default: {
        const unreachable: never = state;
        return unreachable;
      }
    }
  }
  if (state === 'single' || state === 'double') return undefined; // "No closing quotation"
  if (state === 'word' || quoted) words.push(word);
  return words;
}
