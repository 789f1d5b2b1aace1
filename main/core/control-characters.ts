/**
 * The control characters (Unicode category Cc: C0, DEL and C1) that must never reach a shell
 * line, a dotenv or ini line, or a terminal raw: a line break splits a line, ESC and the C1 CSI
 * and OSC start terminal sequences. One definition for every place that refuses, strips or
 * escapes them.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** The same, for replacing every occurrence. */
export function controlCharactersGlobal(): RegExp {
  return new RegExp(CONTROL_CHARACTERS.source, 'g');
}
