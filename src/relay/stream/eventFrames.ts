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

const BATCH_OPEN = Buffer.from('{"type":"batch","frames":[');
const BATCH_CLOSE = Buffer.from(']}');
const COMMA = 0x2c;
const CLOSING_BRACE = 0x7d;

/** An item's bytes before its seq, and between its seq and the stored JSON: prefixOf() in two. */
const ITEM_HEAD: Readonly<Record<StreamKind, Buffer>> = { event: Buffer.from('{"type":"event","seq":'), acknowledgement: Buffer.from('{"type":"acknowledgement","seq":') };
const ITEM_FIELD: Readonly<Record<StreamKind, Buffer>> = { event: Buffer.from(',"event":'), acknowledgement: Buffer.from(',"acknowledgement":') };

/** The rows' sizes, measured once, and the rows each batch frame takes. */
interface BatchLayout {
  readonly rows: readonly EventRow[];
  /** Each row's stored JSON in UTF-8 bytes; equal to its length when it is all ASCII. */
  readonly jsonBytes: readonly number[];
  readonly seqDigits: readonly number[];
  readonly batches: ReadonlyArray<{ readonly from: number; readonly to: number; readonly bytes: number }>;
}

function decimalDigits(n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
  return digits;
}

/** Rows go into a batch while its payload stays within `cap` bytes; a row bigger than that alone goes alone. */
function layOut(rows: readonly EventRow[], cap: number): BatchLayout {
  const jsonBytes: number[] = [];
  const seqDigits: number[] = [];
  const batches: Array<{ from: number; to: number; bytes: number }> = [];
  const empty = BATCH_OPEN.length + BATCH_CLOSE.length;
  let from = 0;
  let bytes = empty;
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i]!;
    const json = Buffer.byteLength(row.eventJson);
    const digits = decimalDigits(row.seq);
    jsonBytes.push(json);
    seqDigits.push(digits);
    const item = ITEM_HEAD[row.kind].length + digits + ITEM_FIELD[row.kind].length + json + 1;
    if (i > from && bytes + 1 + item > cap) {
      batches.push({ from, to: i, bytes });
      from = i;
      bytes = empty;
    }
    bytes += (i > from ? 1 : 0) + item;
  }
  if (rows.length > from) batches.push({ from, to: rows.length, bytes });
  return { rows, jsonBytes, seqDigits, batches };
}

function putBytes(target: Buffer, offset: number, bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i += 1) target[offset + i] = bytes[i]!;
  return offset + bytes.length;
}

/**
 * Writes one batch's payload at `offset`: its items are eventFrame()'s bytes, the stored JSON
 * copied in as it is (latin1 when all ASCII, byte for byte the same and the cheaper copy), the
 * short constant parts and the seq's digits set byte by byte: a call into C++ for each of them
 * cost more than the copying (measured: about half of the step's encoding).
 */
function writeBatch(layout: BatchLayout, batch: BatchLayout['batches'][number], target: Buffer, offset: number): number {
  let at = putBytes(target, offset, BATCH_OPEN);
  for (let i = batch.from; i < batch.to; i += 1) {
    const row = layout.rows[i]!;
    if (i > batch.from) target[at++] = COMMA;
    at = putBytes(target, at, ITEM_HEAD[row.kind]);
    const digitsEnd = at + layout.seqDigits[i]!;
    for (let rest = row.seq, d = digitsEnd - 1; d >= at; d -= 1, rest = Math.floor(rest / 10)) target[d] = 0x30 + (rest % 10);
    at = putBytes(target, digitsEnd, ITEM_FIELD[row.kind]);
    at += target.write(row.eventJson, at, layout.jsonBytes[i] === row.eventJson.length ? 'latin1' : 'utf8');
    target[at++] = CLOSING_BRACE;
  }
  return putBytes(target, at, BATCH_CLOSE);
}

/**
 * The buffers come from allocUnsafe, old memory of this process: a byte the layout counted and the
 * writer did not write would go to a client. A mismatch is a bug; it fails the replay step (the
 * client is closed and resumes) rather than sending what the buffer held before.
 */
function filledExactly(written: number, buffer: Buffer): Buffer {
  if (written !== buffer.length) throw new Error(`a batch frame was laid out as ${buffer.length} bytes but ${written} were written`);
  return buffer;
}

/**
 * The rows as batch frames' payloads (`{"type":"batch","frames":[<frame>,...]}`, core/protocol.ts)
 * for ws.send (the path for a socket that cannot be written directly). Each item is the very
 * bytes eventFrame() makes, spliced from the stored text: no event is parsed or serialised again.
 */
export function batchFrames(rows: readonly EventRow[], cap = BATCH_PAYLOAD_CAP): Buffer[] {
  const layout = layOut(rows, cap);
  return layout.batches.map((batch) => {
    const payload = Buffer.allocUnsafe(batch.bytes);
    filledExactly(writeBatch(layout, batch, payload, 0), payload);
    return payload;
  });
}

/**
 * The rows as complete WebSocket text frames of batches (batchFrames' payloads, each behind its
 * header), in one buffer for one write like encodeEventFrames: a step of 500 rows is one frame and
 * one copy of the stored text, where single frames were 500 frames (and 500 messages for the
 * client to take one at a time).
 */
export function encodeBatchFrames(rows: readonly EventRow[], cap = BATCH_PAYLOAD_CAP): Buffer {
  const layout = layOut(rows, cap);
  const headers = layout.batches.map((batch) => frameHeader(batch.bytes));
  let total = 0;
  for (let i = 0; i < headers.length; i += 1) total += headers[i]!.length + layout.batches[i]!.bytes;
  const wire = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < headers.length; i += 1) {
    offset += wire.write(headers[i]!, offset, 'latin1');
    offset = writeBatch(layout, layout.batches[i]!, wire, offset);
  }
  return filledExactly(offset, wire);
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
