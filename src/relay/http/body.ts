/**
 * Reads a request body into memory with a hard cap, so one sender cannot make the relay buffer
 * more than `maxBytes`. A declared Content-Length over the cap is refused before reading a byte.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

/** Throws 413 when the declared Content-Length is over the cap: checked before anything else. */
export function refuseDeclaredOverCap(request: IncomingMessage, maxBytes: number): void {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
}

/** Reads the body, refusing it with 413 past `maxBytes` (call refuseDeclaredOverCap first: it answers before a byte is read). */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        cleanup();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAborted = () => {
      cleanup();
      reject(new HttpError(400, 'the request body ended before it was complete'));
    };
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
  });
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `the request body is larger than this relay accepts (${maxBytes} bytes)`);
}
