/**
 * One HTTP request from a chosen loopback source address. Attackers and honest senders all talk
 * to 127.0.0.1, but from different 127.0.0.x addresses: the relay's per-address limits then see
 * them as the different senders they are in real life, not as one address sharing one budget.
 */
import http from 'node:http';

export interface Answer {
  /** 0 when no answer came (reset, or the time ran out). */
  readonly status: number;
  readonly ms: number;
  readonly retryAfterS: number | undefined;
}

/** A keep-alive agent whose sockets leave from `localAddress`. */
export function agentFrom(localAddress: string, maxSockets: number): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => create({ ...options, localAddress }, callback);
  return agent;
}

export function post(port: number, agent: http.Agent, path: string, headers: Record<string, string>, body: Buffer, timeoutMs = 30_000): Promise<Answer> {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const done = (status: number, retryAfter?: string) => {
      if (settled) return;
      settled = true;
      resolve({ status, ms: performance.now() - started, retryAfterS: retryAfter === undefined ? undefined : Number(retryAfter) });
    };
    const request = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (response) => {
      response.resume();
      response.on('end', () => done(response.statusCode ?? 0, response.headers['retry-after'] as string | undefined));
      response.on('error', () => done(response.statusCode ?? 0));
    });
    request.setTimeout(timeoutMs, () => request.destroy());
    request.on('error', () => done(0));
    request.end(body);
  });
}
