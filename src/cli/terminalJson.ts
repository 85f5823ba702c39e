/** JSON for a terminal: the same value, with nothing in it a terminal would obey. */

/**
 * Characters JSON.stringify leaves raw that a terminal or a reader's eye takes as something else:
 * DEL, the C1 controls (U+009B is a one-byte CSI to many terminals), bidi controls and the line
 * and paragraph separators. C0 controls are escaped by JSON.stringify itself.
 */
const RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * `JSON.stringify(value)` with those characters written as `\uXXXX` escapes: the line parses to
 * exactly the same value, and prints as inert text. (Not `displayLine`: `buildbell stream` shows
 * a relay's frames as they are, to be read by programs too.)
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(RAW_UNSAFE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
