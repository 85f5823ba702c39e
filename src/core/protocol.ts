/**
 * The relay's WebSocket protocol, version 1: the frames a desktop receives on `GET /stream`.
 * Both ends parse with these schemas.
 */
import { z } from 'zod';
import { normalisedEventSchema, PROTOCOL_VERSION } from './event.js';

const seqSchema = z.number().int().nonnegative();

export const helloFrameSchema = z.object({
  type: z.literal('hello'),
  protocol: z.literal(PROTOCOL_VERSION),
  /** The newest seq in the log when the connection opened (0 for an empty log). */
  head: seqSchema,
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

/**
 * Every frame a protocol-1 relay sends. Clients must ignore frame types they do not know: new
 * types may be added within protocol 1, never changed.
 */
export const serverFrameSchema = z.discriminatedUnion('type', [helloFrameSchema, eventFrameSchema, gapFrameSchema, liveFrameSchema]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
export type HelloFrame = z.infer<typeof helloFrameSchema>;
export type EventFrame = z.infer<typeof eventFrameSchema>;
export type GapFrame = z.infer<typeof gapFrameSchema>;
export type LiveFrame = z.infer<typeof liveFrameSchema>;

/** WebSocket close codes the relay uses, with their meaning for a client. */
export const CLOSE_CODES = {
  /** The relay is shutting down: reconnect with backoff. */
  goingAway: 1001,
  /** The client sent something it must not (oversized or unexpected frame). */
  policyViolation: 1008,
  /** The token was revoked while connected: do not reconnect with it. */
  tokenRevoked: 4001,
  /** The client read too slowly and its buffer passed the cap: reconnect and resume. */
  tooSlow: 4008,
} as const;
