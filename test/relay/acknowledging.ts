/**
 * Helpers for the acknowledgement tests (issue #17): tokens with a label of their own, acknowledge
 * frames sent over a real socket, and what the log holds, read from the real SQLite file.
 */
import Database from 'better-sqlite3';
import type { AcknowledgeFrame, AcknowledgementFrame, ErrorFrame } from '../../src/core/protocol.js';
import { openRelayDatabase } from '../../src/relay/database.js';
import { TokenStore } from '../../src/relay/tokens.js';
import type { StreamRecorder } from '../support/relay.js';

/** Issues a token on `channel` whose label is the name its acknowledgements show. */
export function issueLabelled(file: string, label: string, repos: string[] = [], channel = 'acme'): string {
  const db = openRelayDatabase(file);
  try {
    return new TokenStore(db).issue(channel, label, repos, Date.now()).token;
  } finally {
    db.close();
  }
}

let nextRef = 0;

/** Sends an acknowledge frame for a Cirrus build; returns its ref. */
export function sendAcknowledge(client: StreamRecorder, repository: string, buildId: string | number, active = true, extra: Record<string, unknown> = {}): string {
  const ref = `ref-${(nextRef += 1)}`;
  const frame: AcknowledgeFrame = { type: 'acknowledge', ref, provider: 'cirrus', repository, buildId: String(buildId), active };
  client.socket.send(JSON.stringify({ ...frame, ...extra }));
  return ref;
}

export function acknowledgementsOf(client: StreamRecorder): AcknowledgementFrame[] {
  return client.frames.flatMap((frame) => (frame.type === 'acknowledgement' ? [frame] : []));
}

export function errorsOf(client: StreamRecorder): ErrorFrame[] {
  return client.frames.flatMap((frame) => (frame.type === 'error' ? [frame] : []));
}

/** Waits for the error frame answering `ref`. */
export async function errorFor(client: StreamRecorder, ref: string): Promise<ErrorFrame> {
  await client.waitFor(() => errorsOf(client).some((frame) => frame.ref === ref));
  return errorsOf(client).find((frame) => frame.ref === ref)!;
}

/** Acknowledgement rows in the relay's log file (read-only, beside the relay's own connections). */
export function storedAcknowledgements(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM events WHERE event_type = 'acknowledgement'").pluck().get() as number;
  } finally {
    db.close();
  }
}

export const waitLive = (client: StreamRecorder) => client.waitFor((frames) => frames.some((frame) => frame.type === 'live'));

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
