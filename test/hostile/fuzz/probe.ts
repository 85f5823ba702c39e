/**
 * Writes one fuzzed request on a fresh socket and reports what the relay did with it: answered
 * (a final status line, or 101), closed the connection, or neither within the bound. An interim
 * `100 Continue` is not an answer: the relay is then waiting for a body, like any other request
 * whose body has not arrived, and the client's FIN must make it answer or close.
 */
import net from 'node:net';
import type { FuzzRequest } from './requestClasses.js';

export type ProbeOutcome =
  | { readonly kind: 'answered'; readonly status: number }
  | { readonly kind: 'closed' }
  | { readonly kind: 'silent'; readonly afterMs: number };

export interface ProbeBounds {
  /** How long a request whose client keeps its side open may wait before the client sends FIN. */
  readonly openMs: number;
  /** How long the relay has to answer or close once the client has sent everything (and FIN). */
  readonly answerMs: number;
}

/** The first final status in `data`, skipping interim 100 answers; undefined while there is none. */
function finalStatus(data: Buffer): number | undefined {
  let text = data.toString('latin1');
  for (;;) {
    const match = /^HTTP\/\d\.\d (\d{3})/.exec(text);
    if (!match) return text.length >= 12 ? 0 : undefined; // bytes that are not a status line still answer
    const status = Number(match[1]);
    if (status !== 100) return status;
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    text = text.slice(end + 4);
    if (text.length === 0) return undefined;
  }
}

export function probe(port: number, request: FuzzRequest, bounds: ProbeBounds): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const silent = () => finish({ kind: 'silent', afterMs: Math.round(performance.now() - started) });
    const sendFin = () => {
      socket.end();
      timer = setTimeout(silent, bounds.answerMs);
    };
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const status = finalStatus(data);
      if (status !== undefined) finish({ kind: 'answered', status });
    });
    // A reset is the relay closing too (it may destroy a socket it will not read).
    socket.on('error', () => finish({ kind: 'closed' }));
    socket.on('close', () => finish({ kind: 'closed' }));
    // The relay may half-close first; the client then has nothing more to wait for.
    socket.on('end', () => finish({ kind: 'closed' }));
    socket.on('connect', () => {
      socket.write(request.bytes, () => undefined);
      if (request.then === 'fin') sendFin();
      else timer = setTimeout(sendFin, bounds.openMs);
    });
  });
}
