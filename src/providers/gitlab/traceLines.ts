/**
 * A GitLab job log (its "trace") as a person reads it on the job's page, for the last lines of a
 * failed job. The raw log is what the runner wrote to a terminal: ANSI colour codes, section
 * markers (`section_start:<time>:<name>[options]\r\e[0K` … `section_end:<time>:<name>\r\e[0K`,
 * which the page turns into collapsible headers), carriage returns that redraw a progress line,
 * and, from newer runners, a timestamp prefix on every line (`2024-05-14T11:19:19.899359Z 00O `,
 * whose last character `+` says the line continues the one before). GitLab's page shows a line
 * for each newline, the text after a line's last carriage return, no empty lines, and neither
 * markers, prefixes nor colour codes; so does this.
 *
 * What comes out is still the build's own text: the display cleaning (`displayLine`) that always
 * follows removes whatever control or bidi character is left.
 */
import { withoutEscapeSequences } from '../../core/text/displayText.js';

/** A section marker, with the `\r\e[0K` that hides it on a terminal. The name is bounded, so no scan runs away. */
// eslint-disable-next-line no-control-regex
const SECTION_MARKER = /section_(?:start|end):\d{1,20}:[^\r\n]{0,256}?\r\u001b\[0?K/g;

/** The runner's timestamp prefix: RFC 3339 time, two hex digits, the stream (O or E), then ' ' or '+' (a continuation). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z [0-9a-f]{2}[OE]([ +])/;

export interface TraceLineOptions {
  /**
   * True when `text` is the whole log (or starts where it starts). False for a tail cut at a byte
   * count: its first line is then the end of a longer one, and is dropped.
   */
  readonly fromStart: boolean;
}

/** The lines of a job log as its page shows them, oldest first. */
export function gitlabTraceLines(text: string, options: TraceLineOptions): string[] {
  let body = text;
  if (!options.fromStart) {
    const firstBreak = body.indexOf('\n');
    if (firstBreak !== -1) body = body.slice(firstBreak + 1);
  }
  // A marker starts a new line on the page: the section's header, or what follows its end.
  body = body.replace(SECTION_MARKER, '\n');
  const lines: string[] = [];
  // "\r\n" and "\r\r\n" end a line as "\n" does.
  for (const physical of body.split(/\r*\n/)) {
    let continues = false;
    let shown = '';
    physical.split('\r').forEach((segment, index) => {
      const stamp = TIMESTAMP.exec(segment);
      if (index === 0 && stamp) continues = stamp[1] === '+';
      const content = withoutEscapeSequences(stamp ? segment.slice(stamp[0].length) : segment);
      // A carriage return starts the line over (a progress bar redrawn): what was written last stays.
      if (content !== '') shown = content;
    });
    if (continues && lines.length > 0) lines[lines.length - 1] += shown;
    else if (shown.trim() !== '') lines.push(shown);
  }
  return lines;
}
