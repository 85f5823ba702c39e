/**
 * `watch`'s face in a terminal: the tray model rendered as a small screen, redrawn in place on a
 * TTY (connection, overall state, recent builds). Piped into a file or a log it stays quiet: one
 * line per new tray event and per change of connection, no redraws, no colours.
 */
import type { TrayEvent, TrayModel } from '../core/engine/tray-model.js';
import type { BuildState } from '../core/event.js';

const STATE_MARKS: Record<BuildState, string> = {
  queued: '…',
  needs_approval: '?',
  running: '▶',
  passed: '✓',
  failed: '✗',
  aborted: '■',
  errored: '!',
};

export interface TerminalView {
  render(model: TrayModel): void;
  /** Leaves the screen as it is and moves below it. */
  close(): void;
}

export function createTerminalView(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, header: string, clock: () => number = Date.now): TerminalView {
  if (stream.isTTY) return createLiveView(stream, header, clock);
  return createLogView(stream, clock);
}

function createLogView(stream: NodeJS.WritableStream, clock: () => number): TerminalView {
  let newest = 0;
  let link = '';
  return {
    render(model) {
      const { connection } = model;
      const nextLink = connection.connected ? `connected to ${connection.source}` : `not connected to ${connection.source}: ${connection.reason ?? 'unknown'}`;
      if (nextLink !== link) {
        link = nextLink;
        stream.write(`${new Date(clock()).toISOString()} ${link}\n`);
      }
      const fresh = model.recentEvents.filter((event) => event.at > newest).reverse();
      for (const event of fresh) stream.write(`${new Date(event.at).toISOString()} ${eventLine(event)}\n`);
      if (fresh.length > 0) newest = Math.max(newest, ...fresh.map((event) => event.at));
    },
    close() {},
  };
}

function createLiveView(stream: NodeJS.WritableStream & { columns?: number }, header: string, clock: () => number): TerminalView {
  let drawnLines = 0;
  return {
    render(model) {
      const width = Math.max(40, (stream.columns ?? 100) - 1);
      const lines = renderScreen(model, header, clock()).map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
      // Move to the top of the previous drawing, clear to the end of the screen, draw again.
      const up = drawnLines > 0 ? `\x1b[${drawnLines}F` : '';
      stream.write(`${up}\x1b[0J${lines.join('\n')}\n`);
      drawnLines = lines.length;
    },
    close() {
      drawnLines = 0;
    },
  };
}

/** The screen as lines of text: pure, so it is tested as data. */
export function renderScreen(model: TrayModel, header: string, now: number): string[] {
  const { connection } = model;
  const link = connection.connected
    ? `connected to ${connection.source}${connection.lastEventAt === null ? '' : ` · last event ${ago(now - connection.lastEventAt)}`}`
    : `not connected to ${connection.source}${connection.reason ? `: ${connection.reason}` : ''}`;
  const lines = [header, `${model.state.replace('_', ' ')} · ${model.headline}`, link, ''];
  if (model.recentBuilds.length === 0) lines.push('no builds yet');
  for (const build of model.recentBuilds) {
    const where = `${build.repository}${build.branch ? ` · ${build.branch}` : ''}`;
    const failed = build.failedTasks.length > 0 ? ` (failed: ${build.failedTasks.join(', ')})` : '';
    lines.push(`${STATE_MARKS[build.state]} ${where.padEnd(28)} ${build.state.replace('_', ' ').padEnd(14)} ${build.title ?? ''}${failed}`);
  }
  return lines;
}

function eventLine(event: TrayEvent): string {
  return `${event.kind === 'error' ? 'error: ' : ''}${event.text}${event.url ? ` ${event.url}` : ''}`;
}

function ago(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}
