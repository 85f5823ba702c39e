/**
 * `watch`'s face in a terminal. On a TTY: a log that scrolls (notifications, messages) above a
 * status block kept at the bottom (connection, overall state, recent builds). A line printed to
 * the log stays on screen: the block is erased and drawn again below it, never over it. The block
 * is redrawn only when what it shows changed. Piped into a file or a log it stays quiet: one line
 * per new tray event and per change of connection, no redraws, no colours.
 *
 * Everything shown comes from payloads or the network (titles, branches, task names, reasons,
 * URLs), so every line goes through `displayLine` first: a title must not set the window title,
 * write the clipboard or disguise a link (escape sequences), nor forge a line of its own.
 */
import type { TrayEvent, TrayModel } from '../core/engine/trayModel.js';
import { displayLine } from '../core/text/displayText.js';
import { connectionLine, connectionLines, placeLine, STATE_MARKS, STATE_WORDS } from '../core/engine/trayText.js';

/** The stream the view draws on: a TTY has `isTTY` and `columns`. */
export type ViewStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface TerminalView {
  /** Shows the tray model; on a TTY the status block is redrawn if anything in it changed. */
  render(model: TrayModel): void;
  /** The first line of the status block, e.g. "buildbell watch · relay … · notifications: …". */
  setHeader(header: string): void;
  /** Prints text (one or more lines) to the log: above the status block on a TTY, where it stays. */
  write(text: string): void;
  /** Leaves the screen as it is and moves below it. */
  close(): void;
}

export function createTerminalView(stream: ViewStream, header: string, clock: () => number = Date.now): TerminalView {
  if (stream.isTTY) return createLiveView(stream, header, clock);
  return createLogView(stream, clock);
}

function createLogView(stream: NodeJS.WritableStream, clock: () => number): TerminalView {
  let newest = 0;
  /** Each source's last printed state: a line when one connects or drops, naming it. */
  const links = new Map<string, string>();
  return {
    render(model) {
      for (const connection of model.connections) {
        // Without "last event …", which changes with every event and is no change of connection.
        const link = connection.connected ? `${connection.source}: connected` : connectionLine(connection, clock());
        if (links.get(connection.source) === link) continue;
        links.set(connection.source, link);
        stream.write(`${new Date(clock()).toISOString()} ${displayLine(link)}\n`);
      }
      const fresh = model.recentEvents.filter((event) => event.at > newest).reverse();
      for (const event of fresh) stream.write(`${new Date(event.at).toISOString()} ${eventLine(event)}\n`);
      if (fresh.length > 0) newest = Math.max(newest, ...fresh.map((event) => event.at));
    },
    setHeader() {},
    write(text) {
      stream.write(logLines(text).map((line) => `${line}\n`).join(''));
    },
    close() {},
  };
}

function createLiveView(stream: ViewStream, initialHeader: string, clock: () => number): TerminalView {
  let header = initialHeader;
  let model: TrayModel | undefined;
  /** The status block on screen now; the cursor is at the start of the line below it. */
  let drawn: string[] = [];
  const block = (): string[] => {
    const width = Math.max(40, (stream.columns ?? 100) - 1);
    const lines = model ? renderScreen(model, header, clock()) : [displayLine(header)];
    // A line wider than the terminal would wrap and break the count of lines to move up over.
    return lines.map((line) => (Array.from(line).length > width ? `${Array.from(line).slice(0, width - 1).join('')}…` : line));
  };
  // Moves to the top of the block and clears from there to the end of the screen.
  const erase = (): string => (drawn.length > 0 ? `\x1b[${drawn.length}F\x1b[0J` : '');
  const redraw = (above: string[] = []) => {
    const next = block();
    if (above.length === 0 && sameLines(next, drawn)) return;
    stream.write(`${erase()}${above.map((line) => `${line}\n`).join('')}${next.join('\n')}\n`);
    drawn = next;
  };
  return {
    render(next) {
      model = next;
      redraw();
    },
    setHeader(text) {
      header = text;
      if (drawn.length > 0) redraw();
    },
    write(text) {
      redraw(logLines(text));
    },
    close() {
      drawn = [];
    },
  };
}

/** The status block as lines of text: pure, so it is tested as data. */
export function renderScreen(model: TrayModel, header: string, now: number): string[] {
  const lines = [header, `${model.state.replace('_', ' ')} · ${model.headline}`, ...connectionLines(model.connections, now)].map((line) => displayLine(line));
  lines.push('');
  if (model.recentBuilds.length === 0) lines.push('no builds yet');
  for (const build of model.recentBuilds) {
    const where = placeLine(build.repository, build.branch);
    const failed = build.failedTasks.length > 0 ? ` (failed: ${build.failedTasks.map((name) => displayLine(name)).join(', ')})` : '';
    lines.push(`${STATE_MARKS[build.state]} ${where.padEnd(28)} ${STATE_WORDS[build.state].padEnd(14)} ${displayLine(build.title ?? '', 200)}${failed}`.trimEnd());
    // Who is on it, first under it: what a teammate looks for before the log.
    if (build.onIt) lines.push(`    ↳ ${displayLine(build.onIt.line, 200)}`);
    // Why it failed, indented under it: the task and step, then the log's last lines.
    for (const detail of (build.failureDetail ?? []).slice(0, 4)) lines.push(`    ${displayLine(detail, 200)}`);
  }
  return lines;
}

/** Log text as clean lines: each line of the text on its own, nothing a terminal would obey. */
function logLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n').map((line) => displayLine(line, 2000));
}

function eventLine(event: TrayEvent): string {
  return displayLine(`${event.kind === 'error' ? 'error: ' : ''}${event.text}${event.url ? ` ${event.url}` : ''}`, 2000);
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, index) => line === b[index]);
}
