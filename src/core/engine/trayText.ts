/**
 * The few words every shell shows the same way, written once: a state's mark and word, "2 min
 * ago", where a build is ("acme/web · main") and a source's connection line. The tray menu (both
 * Electron's and the Linux tray), `watch`'s terminal view, the window (through the main process)
 * and notifications use these, so a build reads the same wherever it appears.
 */
import type { BuildState } from '../event.js';
import { displayLine } from '../text/displayText.js';
import type { SourceConnection } from './sourceConnection.js';

export const STATE_MARKS: Readonly<Record<BuildState, string>> = {
  failed: '✗',
  errored: '⚠',
  passed: '✓',
  running: '▶',
  queued: '…',
  needs_approval: '?',
  aborted: '■',
};

export const STATE_WORDS: Readonly<Record<BuildState, string>> = {
  failed: 'failed',
  errored: 'errored',
  passed: 'passed',
  running: 'running',
  queued: 'queued',
  needs_approval: 'needs approval',
  aborted: 'aborted',
};

/** "just now", "1 min ago", "3 h ago", "2 days ago": whole units, so a line redrawn once a minute is never stale by more. */
export function ago(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

const MAX_PLACE_PART = 100;

/** "acme/web · main", or the repository alone; both parts cleaned (they come from payloads). */
export function placeLine(repository: string, branch: string | null): string {
  const slug = displayLine(repository, MAX_PLACE_PART);
  const where = branch === null ? '' : displayLine(branch, MAX_PLACE_PART);
  return where ? `${slug} · ${where}` : slug;
}

/** "work relay: connected · last event 2 min ago", "personal GitHub: GitHub rate limit: paused until 14:05". */
export function connectionLine(connection: SourceConnection, now: number): string {
  if (!connection.connected) return displayLine(`${connection.source}: ${connection.reason ?? 'not connected'}`);
  const last = connection.lastEventAt === null ? 'no events yet' : `last event ${ago(now - connection.lastEventAt)}`;
  return displayLine(`${connection.source}: connected · ${last}`);
}

/** The connection lines of every source, or one saying there is none. */
export function connectionLines(connections: readonly SourceConnection[], now: number): string[] {
  return connections.length === 0 ? ['No source configured'] : connections.map((connection) => connectionLine(connection, now));
}
