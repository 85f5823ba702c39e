/**
 * The relay's WebSocket protocol, version 1: the frames a desktop receives on `GET /stream`, and
 * the one it may send. Both ends parse with these schemas. Version 1 grows only by new fields and
 * new frame types (DESIGN.md): a client ignores a frame type it does not know, a relay answers one
 * with an error frame.
 */
import { z } from 'zod';
import { acknowledgementSchema } from './acknowledgement.js';
import { idSchema, normalisedEventSchema, providerSchema, PROTOCOL_VERSION } from './event.js';

const seqSchema = z.number().int().nonnegative();

export const helloFrameSchema = z.object({
  type: z.literal('hello'),
  protocol: z.literal(PROTOCOL_VERSION),
  /** The newest seq in the log when the connection opened (0 for an empty log). */
  head: seqSchema,
  /**
   * The label of the token this connection holds: acknowledgements whose `by` is this are the
   * client's own. Absent from relays older than acknowledgements.
   */
  label: z.string().max(200).optional(),
});

export const eventFrameSchema = z.object({
  type: z.literal('event'),
  seq: seqSchema,
  event: normalisedEventSchema,
});

/** The client's cursor is older than the log keeps: events in (after, oldest) are gone. */
export const gapFrameSchema = z.object({
  type: z.literal('gap'),
  after: seqSchema,
  oldest: seqSchema,
});

/**
 * The replay is over: every stored event this client may see up to `cursor` has been sent, and
 * what follows is live. Lets a client summarise what happened while it was away as one batch.
 */
export const liveFrameSchema = z.object({
  type: z.literal('live'),
  cursor: seqSchema,
});

/** An acknowledgement stored in the log: it takes a seq like an event, and resumes like one. */
export const acknowledgementFrameSchema = z.object({
  type: z.literal('acknowledgement'),
  seq: seqSchema,
  acknowledgement: acknowledgementSchema,
});

/**
 * Stored rows of a catch-up, several to a message: each item is exactly the event or
 * acknowledgement frame the client would otherwise have received alone, in seq order. Sent only
 * to a client that asked with `batch=1` on the stream URL, and only for the replay's reads (live
 * events, and those committed during the replay's last read, stay single frames). Why: a catch-up is many small frames, and each WebSocket
 * message costs both ends a fixed amount (framing, a parse, an event-loop turn); a reader of
 * single frames set the pace of a resume, its relay idle a third of the time (issue #16). A relay
 * that does not know the parameter ignores it and sends single frames, so a client takes both.
 * Only these two item types: anything else a relay had to say would be a frame of its own.
 */
export const batchFrameSchema = z.object({
  type: z.literal('batch'),
  frames: z.array(z.discriminatedUnion('type', [eventFrameSchema, acknowledgementFrameSchema])),
});

/** Why the relay refused a client frame. The connection stays open unless a close follows. */
export const clientFrameErrorCodeSchema = z.enum([
  /** Not JSON, not a known frame type, or a field missing, too long or not allowed (a name, say). */
  'invalid_frame',
  /** The token's scope does not cover the repository. Said the same way as `unknown_build`, so it reveals nothing. */
  'unknown_build',
  /** The build is not failing any more (only a failed build can be acknowledged; withdrawing always works). */
  'not_failed',
  /** More frames than the relay takes from one connection; slow down. */
  'rate_limited',
  /** The relay cannot store it now (its disk or database); try again later. */
  'unavailable',
]);
export type ClientFrameErrorCode = z.infer<typeof clientFrameErrorCodeSchema>;

export const errorFrameSchema = z.object({
  type: z.literal('error'),
  /** The client frame's `ref`, when it had one, so the client knows which request failed. */
  ref: z.string().max(64).nullable(),
  code: clientFrameErrorCodeSchema,
  /** For people: what was wrong, naming the field. */
  message: z.string().max(500),
});

/**
 * Every frame a protocol-1 relay sends. Clients must ignore frame types they do not know: new
 * types may be added within protocol 1, never changed.
 */
export const serverFrameSchema = z.discriminatedUnion('type', [
  helloFrameSchema,
  eventFrameSchema,
  gapFrameSchema,
  liveFrameSchema,
  acknowledgementFrameSchema,
  errorFrameSchema,
  batchFrameSchema,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
export type AcknowledgementFrame = z.infer<typeof acknowledgementFrameSchema>;
export type ErrorFrame = z.infer<typeof errorFrameSchema>;

/**
 * "I'm on it" (`active: true`) or its withdrawal, for a build the relay has stored an event of.
 * Strict: a client names the build and nothing else (no name, no branch: the relay fills those).
 * On success the relay streams the stored acknowledgement to every client that sees the
 * repository, the sender included; on failure it sends the sender an error frame.
 */
export const acknowledgeFrameSchema = z.strictObject({
  type: z.literal('acknowledge'),
  /** The client's own reference, echoed in an error frame. */
  ref: z.string().max(64).optional(),
  provider: providerSchema,
  /** `owner/name`. */
  repository: z.string().min(3).max(401),
  buildId: idSchema,
  active: z.boolean(),
});
export type AcknowledgeFrame = z.infer<typeof acknowledgeFrameSchema>;

/** Every frame a protocol-1 client may send. */
export const clientFrameSchema = z.discriminatedUnion('type', [acknowledgeFrameSchema]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type HelloFrame = z.infer<typeof helloFrameSchema>;
export type EventFrame = z.infer<typeof eventFrameSchema>;
export type GapFrame = z.infer<typeof gapFrameSchema>;
export type LiveFrame = z.infer<typeof liveFrameSchema>;
export type BatchFrame = z.infer<typeof batchFrameSchema>;

/** WebSocket close codes the relay uses, with their meaning for a client. */
export const CLOSE_CODES = {
  /** The relay is shutting down: reconnect with backoff. */
  goingAway: 1001,
  /** The client sent something it must not (an unexpected frame, or frames far faster than the rate limit). */
  policyViolation: 1008,
  /** The client's frame was larger than the relay's `maxPayload` (ws closes with this itself). */
  messageTooBig: 1009,
  /** The token was revoked while connected: do not reconnect with it. */
  tokenRevoked: 4001,
  /** The client read too slowly and its buffer passed the cap: reconnect and resume. */
  tooSlow: 4008,
} as const;
