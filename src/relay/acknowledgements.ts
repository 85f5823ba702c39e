/**
 * "I'm on it" on the relay (issue #17): an acknowledge frame from a client becomes an
 * acknowledgement row of the log, streamed like an event to everyone whose token sees the
 * repository. Every field but `active` is the relay's: the build must be one this channel stored
 * an event of, the repository and branch come from that event, the name from the sender's token.
 * Refusals say as little as they must: a repository outside the token's scope is answered exactly
 * as a build never seen, without a look at the log, so the answer tells nothing of other builds.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ACKNOWLEDGER_NAME_MAX, acknowledgementSchema, type Acknowledgement } from '../core/acknowledgement.js';
import { buildStateSchema, repositorySchema, repositorySlug } from '../core/event.js';
import type { Clock } from '../core/ports.js';
import type { AcknowledgeFrame, ClientFrameErrorCode } from '../core/protocol.js';
import { ACKNOWLEDGEMENT_EVENT_TYPE, type AppendResult, type NewLogEntry } from './eventLog.js';
import type { StreamedEvent } from './ingest.js';
import type { RelayStorage } from './storage/storage.js';
import { scopeAllows, type TokenInfo } from './tokens.js';

export interface AcknowledgeDependencies {
  readonly storage: Pick<RelayStorage, 'latestOfBuild'>;
  /** Commits the row (the relay's group commit); resolves once it is durable. */
  readonly commit: (entry: NewLogEntry) => Promise<AppendResult>;
  readonly clock: Clock;
}

export type AcknowledgeOutcome =
  | { readonly ok: true; readonly streamed: StreamedEvent }
  | { readonly ok: false; readonly code: ClientFrameErrorCode; readonly message: string };

/** The part of a stored event an acknowledgement needs; the rest is not parsed. */
const storedBuildSchema = z.object({
  repository: repositorySchema,
  build: z.object({ state: buildStateSchema, branch: z.string().max(1000).nullable() }),
});

/**
 * The name an acknowledgement shows and the hello tells its client: the token's label, cut to
 * what an acknowledgement holds (or the token's id for a token issued without a label).
 */
export function acknowledgerName(token: Pick<TokenInfo, 'id' | 'label'>): string {
  const label = token.label.trim() === '' ? token.id : token.label;
  return label.slice(0, ACKNOWLEDGER_NAME_MAX);
}

/**
 * Checks the frame against the token and the log, and commits the acknowledgement. Resolves with
 * the row to stream only once it is committed, or with the error to send the client.
 * @param rawFrame the client's frame as received: stored as the row's body, like a webhook's
 */
export async function acknowledgeBuild(frame: AcknowledgeFrame, rawFrame: Buffer, token: TokenInfo, deps: AcknowledgeDependencies): Promise<AcknowledgeOutcome> {
  const unknown = { ok: false, code: 'unknown_build', message: `no build ${frame.buildId.slice(0, 100)} of ${frame.repository.slice(0, 200)} on ${frame.provider} that this token sees` } as const;
  if (!scopeAllows(token.repos, frame.repository)) return unknown;
  let stored: string | undefined;
  try {
    stored = await deps.storage.latestOfBuild(token.channel, { provider: frame.provider, repository: frame.repository, buildId: frame.buildId });
  } catch {
    return unavailable();
  }
  if (stored === undefined) return unknown;
  // The relay wrote this JSON itself; a row it cannot read is treated as no row.
  const build = storedBuildSchema.safeParse(JSON.parse(stored));
  if (!build.success) return unknown;
  const { state, branch } = build.data.build;
  if (frame.active && state !== 'failed' && state !== 'errored') {
    return { ok: false, code: 'not_failed', message: `build ${frame.buildId.slice(0, 100)} is ${state}: only a failed build can be acknowledged` };
  }
  const at = deps.clock();
  const acknowledgement: Acknowledgement = acknowledgementSchema.parse({
    provider: frame.provider, repository: build.data.repository, buildId: frame.buildId, branch, by: acknowledgerName(token), active: frame.active, at,
  });
  const entry: NewLogEntry = {
    channel: token.channel,
    // Each acknowledgement is a row of its own: a second "on it" is news too (a newer time).
    dedupeKey: `ack-${randomUUID()}`,
    deliveryId: null,
    provider: frame.provider,
    eventType: ACKNOWLEDGEMENT_EVENT_TYPE,
    repository: repositorySlug(build.data.repository),
    eventJson: JSON.stringify(acknowledgement),
    buildId: null,
    body: rawFrame,
    receivedAt: at,
  };
  let result: AppendResult;
  try {
    result = await deps.commit(entry);
  } catch {
    return unavailable();
  }
  return { ok: true, streamed: { seq: result.seq, kind: 'acknowledgement', channel: entry.channel, repository: entry.repository!, eventJson: entry.eventJson!, receivedAt: at } };
}

function unavailable(): AcknowledgeOutcome {
  return { ok: false, code: 'unavailable', message: 'the relay cannot store acknowledgements right now; try again later' };
}
