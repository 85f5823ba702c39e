/**
 * The end of an HTTP body without ever holding the whole of it: a job log can be many megabytes,
 * and only its last lines are wanted. The body is read chunk by chunk and only the chunks that
 * may still hold the last `tailBytes` are kept; past `maxBytes` read, the body is cancelled (the
 * connection closed), since what was read then is not the end.
 */

export interface BodyTailOptions {
  /** Bytes kept from the end. */
  readonly tailBytes: number;
  /** Bytes read at most; a longer body is abandoned. */
  readonly maxBytes: number;
}

export type BodyTail =
  /** The last `tailBytes` (or fewer) of the body, and how many bytes the body had in all. */
  | { readonly kind: 'tail'; readonly bytes: Uint8Array; readonly total: number }
  /** The body was longer than `maxBytes`: reading stopped there. */
  | { readonly kind: 'too_long'; readonly read: number };

/** Reads `body` to its end (or to `maxBytes`); a read error (abort, reset) rejects as it came. */
export async function readBodyTail(body: ReadableStream<Uint8Array> | null, options: BodyTailOptions): Promise<BodyTail> {
  if (body === null) return { kind: 'tail', bytes: new Uint8Array(0), total: 0 };
  const reader = body.getReader();
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { kind: 'too_long', read: total };
      }
      kept.push(value);
      keptBytes += value.byteLength;
      // Drop the oldest chunks while what is left still covers the tail.
      while (kept.length > 1 && keptBytes - kept[0]!.byteLength >= options.tailBytes) keptBytes -= kept.shift()!.byteLength;
    }
  } finally {
    reader.releaseLock();
  }
  const joined = new Uint8Array(keptBytes);
  let offset = 0;
  for (const chunk of kept) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: 'tail', bytes: joined.subarray(Math.max(0, keptBytes - options.tailBytes)), total };
}
