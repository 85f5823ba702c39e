/**
 * The messages between the relay's event loop and its SQLite writer thread (sqliteWriter.ts,
 * sqliteWriterThread.ts). A thread boundary is a boundary like any other: each side parses what
 * it receives. A batch's bodies cross packed into one transferred ArrayBuffer, each entry naming
 * its bytes: cloned one by one, each body (a view into Node's shared 8 KiB pool) copied the whole
 * pool slab, and postMessage was 6 % of the relay's ingest profile.
 */
import { z } from 'zod';
import type { NewLogEntry } from '../eventLog.js';

const packedEntrySchema = z.object({
  channel: z.string(),
  dedupeKey: z.string(),
  deliveryId: z.string().nullable(),
  provider: z.string(),
  eventType: z.string(),
  repository: z.string().nullable(),
  eventJson: z.string().nullable(),
  buildId: z.string().nullable(),
  /** Where this entry's body lies in the request's `bodies`. */
  bodyStart: z.number().int().nonnegative(),
  bodyLength: z.number().int().nonnegative(),
  receivedAt: z.number(),
});

export const writerRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('append'), id: z.number().int(), entries: z.array(packedEntrySchema), bodies: z.instanceof(ArrayBuffer) }),
  z.object({ kind: z.literal('prune'), id: z.number().int(), cutoff: z.number(), limit: z.number().int().positive() }),
  // Sent last: the thread answers everything before it, closes the database and exits.
  z.object({ kind: z.literal('close') }),
]);
export type WriterRequest = z.infer<typeof writerRequestSchema>;
type PackedEntry = z.infer<typeof packedEntrySchema>;

/** The entries as an append request (its `bodies` is to be transferred, not copied). */
export function packEntries(id: number, entries: readonly NewLogEntry[]): Extract<WriterRequest, { kind: 'append' }> {
  let size = 0;
  for (const entry of entries) size += entry.body.length;
  const bodies = new ArrayBuffer(size);
  const bytes = new Uint8Array(bodies);
  let offset = 0;
  const packed = entries.map(({ body, ...rest }): PackedEntry => {
    bytes.set(body, offset);
    offset += body.length;
    return { ...rest, bodyStart: offset - body.length, bodyLength: body.length };
  });
  return { kind: 'append', id, entries: packed, bodies };
}

/** The entries of an append request again, each body a Buffer over the transferred bytes (no copy). */
export function unpackEntries(request: Extract<WriterRequest, { kind: 'append' }>): NewLogEntry[] {
  return request.entries.map(({ bodyStart, bodyLength, ...rest }) => ({ ...rest, body: Buffer.from(request.bodies, bodyStart, bodyLength) }));
}

/** A failed write as it crosses the thread: SQLite's `code` (SQLITE_FULL, ...) decides 503 or 500. */
const writerErrorSchema = z.object({ name: z.string(), message: z.string(), code: z.string().optional() });
export type WriterError = z.infer<typeof writerErrorSchema>;

export const writerResponseSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('appended'), id: z.number().int(), results: z.array(z.object({ seq: z.number().int().positive(), duplicate: z.boolean() })) }),
  z.object({ kind: z.literal('pruned'), id: z.number().int(), removed: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('failed'), id: z.number().int(), error: writerErrorSchema }),
  // Once, first: the thread opened the database and takes writes...
  z.object({ kind: z.literal('ready') }),
  // ...or it could not open it at all: every write fails until the relay restarts.
  z.object({ kind: z.literal('broken'), error: writerErrorSchema }),
]);
export type WriterResponse = z.infer<typeof writerResponseSchema>;

/** An error as it can cross the thread, keeping SQLite's code. */
export function describeError(error: unknown): WriterError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** The error again on the relay's side, with its code, so the routes answer 503 for a full disk. */
export function rebuildError(described: WriterError): Error {
  const error = new Error(described.message) as Error & { code?: string };
  error.name = described.name;
  if (described.code !== undefined) error.code = described.code;
  return error;
}
