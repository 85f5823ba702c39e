/**
 * Raw clients for the hostile corpus: HTTP written byte for byte on a socket (fetch refuses to
 * send most of these requests), and a minimal WebSocket client that can send frames `ws` never
 * would. Every wait is bounded.
 */
import net from 'node:net';
import type { RawRequest } from './corpus.js';

export interface RawAnswer {
  /** 0 when the connection closed without an answer. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

function parseHead(data: Buffer): (RawAnswer & { headEnd: number; contentLength: number | undefined }) | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = headers['content-length'];
  return { status, headers, headEnd: end + 4, contentLength: length === undefined ? undefined : Number(length) };
}

export function encodeRequest(request: RawRequest, omitHost = false): Buffer {
  let head = `${request.method} ${request.path} HTTP/1.1\r\n${omitHost ? '' : 'Host: relay.test\r\n'}`;
  for (const [name, value] of request.headers) head += `${name}: ${value}\r\n`;
  const framing = request.framing ?? 'length';
  let body = request.body;
  if (framing === 'length') head += `Content-Length: ${body.length}\r\n`;
  if (framing === 'chunked') {
    head += 'Transfer-Encoding: chunked\r\n';
    const parts: Buffer[] = [];
    for (let at = 0; at < body.length; at += 65536) {
      const chunk = body.subarray(at, at + 65536);
      parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    body = Buffer.concat(parts);
  }
  return Buffer.concat([Buffer.from(`${head}Connection: close\r\n\r\n`, 'latin1'), body]);
}

/** Sends raw bytes and reads one answer; resolves when it is complete, the peer closes, or the time is up. */
export function exchange(port: number, bytes: Buffer | string, timeoutMs = 10_000, onSocket?: (socket: net.Socket) => void): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const head = parseHead(data);
      resolve(head ? { status: head.status, headers: head.headers } : { status: 0, headers: {} });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const head = parseHead(data);
      if (head && head.status === 101) finish();
      if (head && head.contentLength !== undefined && data.length >= head.headEnd + head.contentLength) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => {
      socket.write(bytes, () => undefined);
      onSocket?.(socket);
    });
  });
}

export function upgradeRequest(path: string, headers: ReadonlyArray<readonly [string, string]>): string {
  let head = `GET ${path} HTTP/1.1\r\nHost: relay.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  return `${head}\r\n`;
}

/** Server frames as they arrive after a 101: opcode and payload (servers never mask). */
function* serverFrames(data: Buffer): Generator<{ opcode: number; payload: Buffer; end: number }> {
  let at = 0;
  while (at + 2 <= data.length) {
    const opcode = data[at]! & 0x0f;
    let length = data[at + 1]! & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      if (offset + 2 > data.length) return;
      length = data.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      if (offset + 8 > data.length) return;
      length = Number(data.readBigUInt64BE(offset));
      offset += 8;
    }
    if (offset + length > data.length) return;
    yield { opcode, payload: data.subarray(offset, offset + length), end: offset + length };
    at = offset + length;
  }
}

/**
 * Opens a stream with a valid token, waits for the hello, sends `frame`, and reports the close
 * code the relay sent (null when it stayed open and still answered a ping afterwards). Text
 * frames the relay sends after `frame` (an error frame) go to `onText`.
 */
export function sendFrame(port: number, authorization: string, frame: Buffer, ping: Buffer, timeoutMs = 3000, onText: (text: string) => void = () => undefined): Promise<number | null | 'no-hello' | 'closed-without-code'> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let stage: 'handshake' | 'hello' | 'sent' | 'pinged' = 'handshake';
    let done = false;
    let quiet: NodeJS.Timeout | undefined;
    const finish = (result: number | null | 'no-hello' | 'closed-without-code') => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(quiet);
      socket.destroy();
      resolve(result);
    };
    const deadline = setTimeout(() => finish(stage === 'handshake' || stage === 'hello' ? 'no-hello' : 'closed-without-code'), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (stage === 'handshake') {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!/^HTTP\/1\.1 101/.test(data.toString('latin1', 0, 12))) return finish('no-hello');
        data = data.subarray(end + 4);
        stage = 'hello';
      }
      let consumed = 0;
      for (const received of serverFrames(data)) {
        consumed = received.end;
        if (received.opcode === 0x8) return finish(received.payload.length >= 2 ? received.payload.readUInt16BE(0) : 'closed-without-code');
        if (stage === 'hello' && received.opcode === 0x1) {
          stage = 'sent';
          socket.write(frame);
          // No close within a moment: prove the stream is still alive with a ping.
          quiet = setTimeout(() => {
            stage = 'pinged';
            socket.write(ping);
          }, 500);
        } else if (stage === 'pinged' && received.opcode === 0xa) return finish(null);
        else if (received.opcode === 0x1) onText(received.payload.toString('utf8'));
      }
      data = data.subarray(consumed);
    });
    socket.on('error', () => finish('closed-without-code'));
    socket.on('close', () => finish('closed-without-code'));
    socket.on('connect', () => socket.write(upgradeRequest('/stream?after=0', [['Authorization', authorization]])));
  });
}
