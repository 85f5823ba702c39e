/**
 * A replay's batch of frames, read back by ws's own Receiver (what every client runs): each frame
 * is a text message whose payload is exactly eventFrame()'s, for payloads under 126 bytes, up to
 * 64 KiB and past it (the three length encodings), with non-ASCII text in the stored JSON, and
 * acknowledgements' rows as acknowledgement frames.
 */
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeEventFrames, eventFrame } from './eventFrames.js';

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
