/**
 * A replay's batch of frames, read back by ws's own Receiver (what every client runs): each frame
 * is a text message whose payload is exactly eventFrame()'s, for payloads under 126 bytes, up to
 * 64 KiB and past it (the three length encodings), with non-ASCII text in the stored JSON, and
 * acknowledgements' rows as acknowledgement frames. Batch frames carry those same frames as items,
 * split at the payload cap.
 */
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_PAYLOAD_CAP, batchFrames, encodeBatchFrames, encodeEventFrames, eventFrame, type EventRow } from './eventFrames.js';

// ws exports its Receiver (CommonJS); @types/ws does not declare it.
const { Receiver } = createRequire(import.meta.url)('ws') as { Receiver: new (options: { isServer: boolean }) => Writable };

function readFrames(bytes: Buffer): Array<{ text: string; isBinary: boolean }> {
  const messages: Array<{ text: string; isBinary: boolean }> = [];
  // A client's receiver: server frames arrive unmasked.
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data: Buffer, isBinary: boolean) => messages.push({ text: data.toString(), isBinary }));
  receiver.on('error', (error: Error) => {
    throw error;
  });
  receiver.write(bytes);
  return messages;
}

describe('encodeEventFrames', () => {
  it('writes each row as the text frame eventFrame() makes, in order, for every length encoding', () => {
    const rows = [
      { seq: 1, kind: 'event', eventJson: '{}' },
      { seq: 22, kind: 'event', eventJson: JSON.stringify({ title: 'ünïcödé ✓ 🚀', pad: 'x'.repeat(300) }) },
      { seq: 333, kind: 'event', eventJson: JSON.stringify({ pad: 'y'.repeat(70_000) }) },
      { seq: 4444, kind: 'acknowledgement', eventJson: JSON.stringify({ by: 'Ana ✓' }) },
      { seq: 55555, kind: 'event', eventJson: JSON.stringify({ pad: 'é'.repeat(40_000) }) },
      { seq: 666666, kind: 'acknowledgement', eventJson: JSON.stringify({ by: 'last' }) },
    ] as const;
    const messages = readFrames(encodeEventFrames(rows));
    expect(messages.map((message) => message.isBinary)).toEqual(rows.map(() => false));
    expect(messages.map((message) => message.text)).toEqual(rows.map((row) => eventFrame(row).toString()));
    expect(JSON.parse(messages[1]!.text)).toEqual({ type: 'event', seq: 22, event: JSON.parse(rows[1]!.eventJson) });
    // An acknowledgement's row goes in a frame of its own type, its JSON under its own field.
    expect(JSON.parse(messages[3]!.text)).toEqual({ type: 'acknowledgement', seq: 4444, acknowledgement: { by: 'Ana ✓' } });
  });

  it('encodes nothing for no rows', () => {
    expect(encodeEventFrames([]).length).toBe(0);
  });
});

describe('encodeBatchFrames', () => {
  const rows: readonly EventRow[] = [
    { seq: 1, kind: 'event', eventJson: '{}' },
    { seq: 22, kind: 'event', eventJson: JSON.stringify({ title: 'ünïcödé ✓ 🚀', pad: 'x'.repeat(300) }) },
    { seq: 23, kind: 'acknowledgement', eventJson: JSON.stringify({ by: 'Ana ✓' }) },
    { seq: 333, kind: 'event', eventJson: JSON.stringify({ pad: 'y'.repeat(70_000) }) },
  ];
  const singles = (list: readonly EventRow[]) => list.map((row) => JSON.parse(eventFrame(row).toString()) as unknown);

  it('writes the rows as one text frame whose items are exactly the frames the single-frame path gives', () => {
    const messages = readFrames(encodeBatchFrames(rows));
    expect(messages).toHaveLength(1);
    expect(messages[0]!.isBinary).toBe(false);
    expect(JSON.parse(messages[0]!.text)).toEqual({ type: 'batch', frames: singles(rows) });
    // Spliced, not re-serialised: the items are eventFrame()'s text, byte for byte.
    expect(messages[0]!.text).toBe(`{"type":"batch","frames":[${rows.map((row) => eventFrame(row).toString()).join(',')}]}`);
    expect(batchFrames(rows).map((payload) => payload.toString())).toEqual([messages[0]!.text]);
  });

  it('writes every seq\'s digits as eventFrame() does', () => {
    const seqs = [0, 9, 10, 99, 100, 101, 1_000_000, 4_294_967_296, Number.MAX_SAFE_INTEGER];
    const numbered = seqs.map((seq): EventRow => ({ seq, kind: seq % 2 === 0 ? 'event' : 'acknowledgement', eventJson: '{"n":1}' }));
    expect(batchFrames(numbered).map((payload) => payload.toString())).toEqual([`{"type":"batch","frames":[${numbered.map((row) => eventFrame(row).toString()).join(',')}]}`]);
  });

  it('encodes an all-ASCII batch the same way (the latin1 path)', () => {
    const ascii = [rows[0]!, rows[3]!];
    expect(readFrames(encodeBatchFrames(ascii)).map((message) => JSON.parse(message.text) as unknown)).toEqual([{ type: 'batch', frames: singles(ascii) }]);
  });

  it('splits at the payload cap, in order, and a row bigger than the cap goes alone', () => {
    // Exactly the size of a batch of the first two rows: the acknowledgement does not fit beside
    // them, and 333 is over the cap on its own.
    const cap = batchFrames(rows.slice(0, 2), Infinity)[0]!.length;
    const messages = readFrames(encodeBatchFrames(rows, cap));
    const batches = messages.map((message) => JSON.parse(message.text) as { frames: Array<{ seq: number }> });
    expect(batches.map((batch) => batch.frames.map((frame) => frame.seq))).toEqual([[1, 22], [23], [333]]);
    expect(batches.flatMap((batch) => batch.frames)).toEqual(singles(rows));
    for (const message of messages.slice(0, 2)) expect(Buffer.byteLength(message.text)).toBeLessThanOrEqual(cap);
    expect(batchFrames(rows, cap).map((payload) => payload.toString())).toEqual(messages.map((message) => message.text));
  });

  it('keeps every batch frame within 1 MiB by default', () => {
    // About 0.4 MiB each, non-ASCII: two fit in a frame, the third starts another.
    const big = Array.from({ length: 5 }, (_, i): EventRow => ({ seq: i + 1, kind: 'event', eventJson: JSON.stringify({ pad: 'é'.repeat(200_000) }) }));
    const messages = readFrames(encodeBatchFrames(big));
    expect(messages.map((message) => (JSON.parse(message.text) as { frames: unknown[] }).frames.length)).toEqual([2, 2, 1]);
    for (const message of messages) expect(Buffer.byteLength(message.text)).toBeLessThanOrEqual(BATCH_PAYLOAD_CAP);
    expect(messages.flatMap((message) => (JSON.parse(message.text) as { frames: unknown[] }).frames)).toEqual(singles(big));
  });

  it('encodes nothing for no rows', () => {
    expect(encodeBatchFrames([]).length).toBe(0);
    expect(batchFrames([])).toEqual([]);
  });
});

describe('batch frames of any stored text', () => {
  // Stored JSON is the relay's own serialisation, but a batch must be exact for any string: a
  // byte miscounted in the layout would send a client uninitialised memory (allocUnsafe).
  const anyRow = fc.record({
    seq: fc.maxSafeNat(),
    kind: fc.constantFrom('event' as const, 'acknowledgement' as const),
    eventJson: fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'binary-ascii', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 })),
  });

  it('carries every row as eventFrame() encodes it, split anywhere by a small cap, for ws.send and for a direct write alike', () => {
    fc.assert(fc.property(fc.array(anyRow, { maxLength: 30 }), fc.integer({ min: 1, max: 2_000 }), (rows, cap) => {
      const expected = rows.map((row) => eventFrame(row).toString());
      const payloads = batchFrames(rows, cap).map((payload) => payload.toString());
      expect(readFrames(encodeBatchFrames(rows, cap)).map((message) => message.text)).toEqual(payloads);
      const items = payloads.map((payload) => {
        expect(payload.startsWith('{"type":"batch","frames":[') && payload.endsWith(']}')).toBe(true);
        return payload.slice('{"type":"batch","frames":['.length, -2);
      });
      // A cap never leaves a batch empty, and joined back the items are the single frames in order.
      expect(items.every((item) => item.length > 0)).toBe(true);
      expect(items.join(',')).toBe(expected.join(','));
    }), { numRuns: 300 });
  });
});
