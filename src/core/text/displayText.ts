/**
 * Text from a payload (titles, branch, repository and task names, log lines, error messages from
 * a server) is hostile until cleaned for where it goes. A terminal obeys escape sequences (window
 * title, clipboard via OSC 52, disguised OSC 8 links), D-Bus rejects strings with a NUL (and the
 * notification is silently lost), and bidi overrides make `main` and `niam` look alike. One
 * function here cleans for every display sink: the terminal, native notifications, the tray and
 * the window; each sink still applies its own quoting (markup escaping, HTML text nodes) on top.
 */

/**
 * C0 controls (U+0000–U+001F) and DEL, C1 controls (U+0080–U+009F; U+009B is a one-byte CSI to
 * many terminals), bidi embeddings, overrides and isolates (Trojan Source, CVE-2021-42574), the
 * line and paragraph separators, and lone surrogates (not valid UTF-8, D-Bus refuses them).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A whole escape sequence (CSI, OSC, DCS and the rest), removed together so no parameters remain as text. */
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[PX^_][^\u001b]*(?:\u001b\\)?|[@-Z\\-_]|)|\u009b[0-?]*[ -/]*[@-~]|[\u009d\u0090\u0098\u009e\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g;

/**
 * One line of display text: escape sequences removed whole, every other control, bidi control
 * and lone surrogate replaced by a space (tabs and newlines too, so a title cannot forge a second
 * line), runs of spaces collapsed, trimmed, and cut to `maxLength` characters with an ellipsis.
 */
export function displayLine(text: string, maxLength = 500): string {
  const cleaned = text.replace(ESCAPE_SEQUENCE, '').replace(UNSAFE, ' ').replace(/ {2,}/g, ' ').trim();
  return truncate(cleaned, maxLength);
}

/**
 * Several lines (a log tail): each line cleaned as by {@link displayLine}, empty lines dropped,
 * at most `maxLines` kept (the last ones: the end of a log says why it failed).
 */
export function displayLines(text: string, maxLines = 5, maxLineLength = 200): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((line) => displayLine(line, maxLineLength)).filter((line) => line !== '');
  return lines.slice(-maxLines);
}

/** `text` without its escape sequences (CSI, OSC, DCS, …), each removed whole; every other character kept. */
export function withoutEscapeSequences(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '');
}

/** True when `text` would pass through {@link displayLine} unchanged in content (no control, bidi or escape). */
export function isDisplaySafe(text: string): boolean {
  UNSAFE.lastIndex = 0;
  ESCAPE_SEQUENCE.lastIndex = 0;
  return !UNSAFE.test(text) && !ESCAPE_SEQUENCE.test(text);
}

function truncate(text: string, maxLength: number): string {
  const characters = Array.from(text);
  if (characters.length <= maxLength) return text;
  return `${characters.slice(0, Math.max(0, maxLength - 1)).join('').trimEnd()}…`;
}
