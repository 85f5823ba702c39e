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

/** The longest name "… is on it" shows: a token's label, which may be up to 200 characters. */
const MAX_ON_IT_NAME = 40;

/** A person on a build as the shells show them: this desktop's user, or someone by name. */
export interface OnItName {
  readonly name: string;
  readonly own: boolean;
}

/**
 * "Ana is on it", "Ana and Ben are on it", "Ana and 2 others are on it", "You're on it", "You and
 * Ana are on it"; null when nobody is. The user comes first (the caller orders them); each name is
 * a token's label, hostile text, so it is cleaned here and a name cleaned to nothing reads "someone".
 */
export function onItLine(people: readonly OnItName[]): string | null {
  if (people.length === 0) return null;
  const [first, ...rest] = people.map((person) => (person.own ? 'You' : displayLine(person.name, MAX_ON_IT_NAME) || 'someone'));
  if (rest.length === 0) return people[0]!.own ? "You're on it" : `${first} is on it`;
  if (rest.length === 1) return `${first} and ${rest[0]} are on it`;
  return `${first} and ${rest.length} others are on it`;
}

/** One person's word as a line of the recent events: "Ana is on it", "You're not on it any more"; the name cleaned. */
export function acknowledgementWords(person: OnItName, active: boolean): string {
  if (person.own) return active ? "You're on it" : "You're not on it any more";
  const name = displayLine(person.name, MAX_ON_IT_NAME) || 'someone';
  return active ? `${name} is on it` : `${name} is not on it any more`;
}
