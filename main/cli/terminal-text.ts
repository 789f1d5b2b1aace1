import { controlCharactersGlobal } from '../core/control-characters.js';

/**
 * Text as it may reach a terminal. Every value a command prints goes through `printable`:
 * names and regions from the vault or an imported config, AWS's and the running app's words,
 * what the user typed. A value is data, never terminal control: C0 controls (ESC starts the
 * sequences that clear the screen, retitle the window or rewrite a line; a line break or
 * carriage return forges a table row or overwrites one), DEL and the C1 controls (U+0080 to
 * U+009F, among them the one-character CSI and OSC that some terminals obey) are taken out.
 *
 * Whitespace controls become a space, so words stay apart; the others are removed. The command
 * line's own line breaks are added around values, after this.
 */

const WHITESPACE_CONTROLS = /[\t\n\v\f\r]/g;
const OTHER_CONTROLS = controlCharactersGlobal();

export function printable(text: string): string {
  return text.replace(WHITESPACE_CONTROLS, ' ').replace(OTHER_CONTROLS, '');
}

/**
 * JSON for stdout, where a person may read it: JSON.stringify already escapes C0 controls; DEL
 * and the C1 controls are escaped the same way (`\u009b`), so the text is safe on a terminal and
 * still parses back to exactly the same value for a program.
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
