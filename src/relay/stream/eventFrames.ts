/**
 * Event frames as the stream sends them: `{"type":"event","seq":N,"event":<stored JSON>}`, the
 * stored event spliced in as it is, never parsed and serialised again; an acknowledgement's row
 * the same way as `{"type":"acknowledgement","seq":N,"acknowledgement":<stored JSON>}`. A replay step encodes its
 * whole batch as WebSocket text frames (RFC 6455 §5.2: FIN, opcode 1, a server's unmasked
 * payload) into one buffer that leaves in one write: through ws.send, each frame cost a header
 * allocation, two stream writes and two iovecs, and sending was half of a resume's profile.
 * For a client that asked for them (`batch=1`), a replay step's rows go as batch frames instead:
 * one message of many items (core/protocol.ts), spliced from the same stored text.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { StreamKind } from '../eventLog.js';

export interface EventRow {
  readonly seq: number;
  readonly kind: StreamKind;
  readonly eventJson: string;
}

/** The frame's type and the field its stored JSON goes in are both the row's kind. */
const prefixOf = (kind: StreamKind, seq: number) => `{"type":"${kind}","seq":${seq},"${kind}":`;

/** One row's frame payload, for ws.send (live rows: built once, sent to every connection). */
export function eventFrame(row: EventRow): Buffer {
  return Buffer.from(`${prefixOf(row.kind, row.seq)}${row.eventJson}}`);
}

/**
 * A live event's frame, made once for every connection it goes to: the payload for ws.send, and
 * the complete WebSocket frame for a socket written directly (one write of a shared buffer, where
 * ws.send framed it again for each of a channel's clients). Each is built when first needed.
 */
export class SharedEventFrame {
  private payloadBytes: Buffer | undefined;
  private wireBytes: Buffer | undefined;

  constructor(private readonly row: EventRow) {}

  get payload(): Buffer {
    this.payloadBytes ??= eventFrame(this.row);
    return this.payloadBytes;
  }

  get wire(): Buffer {
    this.wireBytes ??= encodeEventFrames([this.row]);
    return this.wireBytes;
  }
}

/**
 * A text frame's header (FIN + opcode 1, then the 7-, 16- or 64-bit payload length) as latin1
 * characters, one per byte. Payloads here are far below 4 GiB: the 64-bit length's high half is 0.
 */
function frameHeader(length: number): string {
  if (length < 126) return String.fromCharCode(0x81, length);
  if (length <= 0xffff) return String.fromCharCode(0x81, 126, length >>> 8, length & 0xff);
  return String.fromCharCode(0x81, 127, 0, 0, 0, 0, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
}

/**
 * The rows as consecutive complete WebSocket text frames, each the payload eventFrame() makes.
 * ASCII payloads (UTF-8 length equal to the string's) join their headers in one string, encoded
 * once as latin1, which is byte for byte the same there: per row that is the work of one
 * Buffer.from, where copying each payload into a batch buffer cost as much again (measured cold,
 * as a replay after a restart runs). A payload with other characters goes as UTF-8 bytes of its own.
 */
export function encodeEventFrames(rows: readonly EventRow[]): Buffer {
  const parts: Buffer[] = [];
  let ascii = '';
  for (const row of rows) {
    const payload = `${prefixOf(row.kind, row.seq)}${row.eventJson}}`;
    const length = Buffer.byteLength(payload);
    if (length === payload.length) {
      ascii += frameHeader(length) + payload;
      continue;
    }
    if (ascii !== '') parts.push(Buffer.from(ascii, 'latin1'));
    ascii = '';
    parts.push(Buffer.from(frameHeader(length), 'latin1'), Buffer.from(payload));
  }
  if (ascii !== '') parts.push(Buffer.from(ascii, 'latin1'));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** The most payload one batch frame carries (1 MiB): a bigger step goes as several batch frames. */
export const BATCH_PAYLOAD_CAP = 1024 * 1024;

const BATCH_OPEN = '{"type":"batch","frames":[';
const BATCH_CLOSE = ']}';

/** One batch frame's payload as a string, and its length in UTF-8 bytes. */
interface BatchPayload {
  readonly text: string;
  readonly bytes: number;
  /** True when every character is ASCII: latin1 then encodes it byte for byte, and faster. */
  readonly ascii: boolean;
}

/**
 * The rows as batch frames' payloads (`{"type":"batch","frames":[<frame>,...]}`, core/protocol.ts),
 * each item the very text eventFrame() makes, spliced in as a string: no event is parsed or
 * serialised again. Items are added while the payload stays within `cap` bytes; a row bigger than
 * that on its own goes alone in its batch.
 */
function batchPayloads(rows: readonly EventRow[], cap: number): BatchPayload[] {
  const batches: BatchPayload[] = [];
  const empty = BATCH_OPEN.length + BATCH_CLOSE.length;
  let text = '';
  let bytes = empty;
  let ascii = true;
  let count = 0;
  const finish = () => {
    batches.push({ text: `${BATCH_OPEN}${text}${BATCH_CLOSE}`, bytes, ascii });
    text = '';
    bytes = empty;
    ascii = true;
    count = 0;
  };
  for (const row of rows) {
    const item = `${prefixOf(row.kind, row.seq)}${row.eventJson}}`;
    const itemBytes = Buffer.byteLength(item);
    let separator = count === 0 ? 0 : 1;
    if (separator === 1 && bytes + separator + itemBytes > cap) {
      finish();
      separator = 0;
    }
    text += separator === 0 ? item : `,${item}`;
    bytes += separator + itemBytes;
    ascii &&= itemBytes === item.length;
    count += 1;
  }
  if (count > 0) finish();
  return batches;
}

/** Batch frames' payloads for ws.send (the path for a socket that cannot be written directly). */
export function batchFrames(rows: readonly EventRow[], cap = BATCH_PAYLOAD_CAP): Buffer[] {
  return batchPayloads(rows, cap).map((batch) => Buffer.from(batch.text, batch.ascii ? 'latin1' : 'utf8'));
}

/**
 * The rows as complete WebSocket text frames of batches (batchFrames' payloads, each behind its
 * header), in one buffer for one write like encodeEventFrames: a step of 500 rows is one frame
 * header and one copy of the text, where single frames were 500 of each (and 500 messages for
 * the client to take one at a time).
 */
export function encodeBatchFrames(rows: readonly EventRow[], cap = BATCH_PAYLOAD_CAP): Buffer {
  const batches = batchPayloads(rows, cap);
  const headers = batches.map((batch) => frameHeader(batch.bytes));
  let total = 0;
  for (let i = 0; i < batches.length; i += 1) total += headers[i]!.length + batches[i]!.bytes;
  const wire = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < batches.length; i += 1) {
    const batch = batches[i]!;
    offset += wire.write(headers[i]!, offset, 'latin1');
    offset += wire.write(batch.text, offset, batch.ascii ? 'latin1' : 'utf8');
  }
  return wire;
}

/**
 * The TCP socket under `ws` when frames may be written to it directly: the connection is open and
 * ws holds no frames of its own in a queue (it queues only while compressing or reading a Blob,
 * neither of which the relay does), so order is kept. `_socket` and `_sender` are ws's internals;
 * undefined when they are absent (a socket faked in a test), and the caller uses ws.send.
 */
export function writableSocketOf(ws: WebSocket): Socket | undefined {
  const internals = ws as unknown as { _socket?: Socket; _sender?: { _queue?: unknown[] } };
  if (ws.readyState !== ws.OPEN || !internals._socket || internals._sender?._queue?.length !== 0) return undefined;
  return internals._socket.writable ? internals._socket : undefined;
}
