/**
 * Event frames as the stream sends them: `{"type":"event","seq":N,"event":<stored JSON>}`, the
 * stored event spliced in as it is, never parsed and serialised again; an acknowledgement's row
 * the same way as `{"type":"acknowledgement","seq":N,"acknowledgement":<stored JSON>}`. A replay step encodes its
 * whole batch as WebSocket text frames (RFC 6455 §5.2: FIN, opcode 1, a server's unmasked
 * payload) into one buffer that leaves in one write: through ws.send, each frame cost a header
 * allocation, two stream writes and two iovecs, and sending was half of a resume's profile.
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
