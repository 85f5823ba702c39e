/**
 * A hand-written GitLab API for tests of what the client does with odd answers (Range honoured
 * or not, 20 MB logs, drips, refusals): a real HTTP server on 127.0.0.1, and a fetch that counts
 * the body bytes the client actually pulled.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchLike } from '../../src/providers/gitlab/api/client.js';

export interface GitlabApiServers {
  /** Starts a server answering every request with `handle`; resolves with its API base URL. */
  serve(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<string>;
  /** Stops the servers started (call after each test). */
  close(): Promise<void>;
}

export function gitlabApiServers(): GitlabApiServers {
  const servers: Server[] = [];
  return {
    async serve(handle) {
      const server = createServer(handle);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4`;
    },
    async close() {
      for (const server of servers.splice(0)) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

/** A fetch that counts the body bytes the client actually pulled. */
export function countingFetch(): { fetch: FetchLike; read: () => number } {
  let read = 0;
  const fetch: FetchLike = async (url, init) => {
    const response = await globalThis.fetch(url, init);
    if (response.body === null) return response;
    const counted = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, controller) => void ((read += chunk.byteLength), controller.enqueue(chunk)) }));
    return new Response(counted, { status: response.status, headers: response.headers });
  };
  return { fetch, read: () => read };
}
