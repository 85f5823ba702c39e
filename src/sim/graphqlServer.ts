/**
 * The simulated `POST /graphql`: node:http in front of graphql-js, bound to 127.0.0.1. Reads a
 * capped body, parses it with zod, resolves the bearer token, executes over the sim schema and
 * answers like a GraphQL server does (200 with `data`/`errors`; 400 for a body that is not a
 * GraphQL request; 401 for a token it does not know). Introspection stays on, as on Cirrus.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { graphql } from 'graphql';
import { z } from 'zod';
import type { Logger } from '../core/ports.js';
import { describeZodError } from '../core/validation.js';
import type { SimToken, Viewer } from './access.js';
import { viewerFromHeader } from './access.js';
import { simSchema } from './executableSchema.js';
import { closeNow, listenOn } from './listen.js';

const MAX_BODY_BYTES = 1024 * 1024;

const requestSchema = z.object({
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

export interface GraphqlServerOptions {
  /** Makes the root value for one request (see `graphqlApi.ts`). */
  readonly rootValue: (viewer: Viewer) => Record<string, unknown>;
  readonly tokens: readonly SimToken[];
  readonly logger: Logger;
  /** Default: 0 (any free port). */
  readonly port?: number;
  /** Default: 127.0.0.1. */
  readonly host?: string;
}

export interface GraphqlServer {
  /** `http://127.0.0.1:<port>/graphql` */
  readonly url: string;
  /** Requests answered so far on /graphql. */
  requestCount(): number;
  /** The next `count` requests answer `status` (default 503) without running: for backoff tests. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startGraphqlServer(options: GraphqlServerOptions): Promise<GraphqlServer> {
  let requests = 0;
  let faults: { remaining: number; status: number } = { remaining: 0, status: 503 };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger.error('graphql request failed', { error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) answer(response, 500, { errors: [{ message: 'internal error' }] });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/graphql') return answer(response, 404, { error: 'not found: the API is at /graphql' });
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return answer(response, 405, { error: 'use POST /graphql' });
    }
    requests += 1;
    if (faults.remaining > 0) {
      faults.remaining -= 1;
      request.resume();
      return answer(response, faults.status, { errors: [{ message: 'simulated outage' }] });
    }
    const viewer = viewerFromHeader(request.headers.authorization, options.tokens);
    if (viewer === 'invalid') {
      request.resume();
      return answer(response, 401, { errors: [{ message: 'Unauthorized: unknown access token' }] });
    }
    const text = await readBody(request);
    if (text === undefined) return answer(response, 413, { errors: [{ message: `body over ${MAX_BODY_BYTES} bytes` }] });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return answer(response, 400, { errors: [{ message: 'body is not JSON' }] });
    }
    const parsed = requestSchema.safeParse(json);
    if (!parsed.success) return answer(response, 400, { errors: [{ message: `not a GraphQL request: ${describeZodError(parsed.error)}` }] });
    const result = await graphql({
      schema: simSchema(),
      source: parsed.data.query,
      rootValue: options.rootValue(viewer),
      variableValues: parsed.data.variables ?? undefined,
      operationName: parsed.data.operationName ?? undefined,
    });
    answer(response, 200, result);
  }

  const base = await listenOn(server, options.port, options.host);

  return {
    url: `${base}/graphql`,
    requestCount: () => requests,
    failNext(count, status = 503) {
      faults = { remaining: count, status };
    },
    close: () => closeNow(server),
  };
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/** The body as text, or undefined once it passes the cap (the rest is not read). */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
