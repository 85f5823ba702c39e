/** The relay's settings, each with its default, checked once at start-up. */
import { z } from 'zod';

const KIB = 1024;
const MIB = 1024 * KIB;
const DAY_MS = 24 * 60 * 60 * 1000;

const bucketRule = (perSecond: number, burst: number) =>
  z.object({ perSecond: z.number().positive(), burst: z.number().int().min(1) }).default({ perSecond, burst });

export const relayOptionsSchema = z.object({
  /** The SQLite file holding the log, channels and tokens. */
  database: z.string().min(1),
  /** Interface to listen on. Default 127.0.0.1: put a TLS proxy in front for the internet. */
  host: z.string().min(1).default('127.0.0.1'),
  /** TCP port; 0 picks a free one. Default 8787. */
  port: z.number().int().min(0).max(65535).default(8787),
  /** Largest webhook body accepted. Default 1 MiB (Cirrus payloads are a few KiB). */
  maxBodyBytes: z.number().int().min(1 * KIB).max(64 * MIB).default(1 * MIB),
  /** How long events are kept for resuming clients. Default 7 days. */
  retentionMs: z.number().int().min(60_000).default(7 * DAY_MS),
  /** How often old events are pruned. Default every 10 minutes. */
  pruneIntervalMs: z.number().int().min(1000).default(10 * 60_000),
  /** Ping interval; a client silent for two of these is dropped. Default 30 s. */
  heartbeatMs: z.number().int().min(100).default(30_000),
  /** Bytes queued for one client before it counts as not reading and is cut off. Default 1 MiB. */
  maxBufferedBytes: z.number().int().min(1 * KIB).default(1 * MIB),
  /** Stored events per replay step. Default 500. */
  replayBatchSize: z.number().int().min(1).max(10_000).default(500),
  /** Largest frame a client may send; ws closes a larger one with 1009. Default 4 KiB: an acknowledge frame is under 1 KiB. */
  maxPayloadBytes: z.number().int().min(128).max(1 * MIB).default(4 * KIB),
  /**
   * Frames one stream's client may send (acknowledgements): a burst, then a steady rate; a client
   * that keeps sending `floodAllowance` frames over it (regained one a second) is closed with
   * 1008. Default burst 10 (a person acknowledging every build a broken main failed at once),
   * 1 a second after that (far above anyone's clicking; one stream can add at most 86,400 rows a
   * day), floodAllowance 100 (a flood of 1,000 a second is closed within a fraction of a second).
   */
  clientFrames: z
    .object({ perSecond: z.number().positive().default(1), burst: z.number().int().min(1).default(10), floodAllowance: z.number().int().min(1).default(100) })
    .prefault({}),
  /** How often token revocations and channel changes made by `buildbell admin` are picked up. Default 1 s. */
  adminPollMs: z.number().int().min(50).default(1000),
  /**
   * Token-bucket rate limits answered with 429 and Retry-After; null turns them off (benchmarks).
   * Defaults are generous because Cirrus sends every organisation's bursts from a few addresses:
   * webhooks 500/s per address (burst 5000) and 500/s per channel (burst 5000, counted after the
   * signature); stream upgrades 20/s per address (burst 200: an office behind one NAT reconnecting).
   */
  rateLimits: z
    .object({
      hookPerAddress: bucketRule(500, 5000),
      hookPerChannel: bucketRule(500, 5000),
      streamPerAddress: bucketRule(20, 200),
    })
    .nullable()
    .prefault({}),
  /** Webhook bodies one address may be sending at once; more get 429 before a byte is read. Default 64. */
  maxBodiesPerAddress: z.number().int().min(1).max(1_000_000).default(64),
  /**
   * Streams one token may hold open at once; more are refused with 429 until one closes (a dead
   * peer is dropped within two heartbeats). Each stream may hold up to maxBufferedBytes. Default 10.
   */
  maxStreamsPerToken: z.number().int().min(1).max(1_000_000).default(10),
  /** This relay's name in its metrics (`instance` label) and logs. Default: `<hostname>:<port>`. */
  instanceName: z.string().min(1).max(200).optional(),
  /** Bearer token that `GET /metrics` requires; absent (the default), `/metrics` is off. At least 16 characters. */
  metricsToken: z.string().min(16, 'the metrics token has at least 16 characters').max(1024).optional(),
  /** A request whose headers take longer than this gets 408 (slow-header attacks). Default 10 s. */
  headersTimeoutMs: z.number().int().min(100).default(10_000),
  /** A request not complete (body included) after this gets 408 (slow bodies). Default 30 s. */
  requestTimeoutMs: z.number().int().min(100).default(30_000),
}).refine((options) => options.headersTimeoutMs <= options.requestTimeoutMs, {
  message: 'headersTimeoutMs must not exceed requestTimeoutMs (Node refuses to start otherwise)',
  path: ['headersTimeoutMs'],
});

export type RelayOptions = z.infer<typeof relayOptionsSchema>;
export type RelayOptionsInput = z.input<typeof relayOptionsSchema>;
