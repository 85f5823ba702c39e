/**
 * How one GraphQL document reaches Cirrus and how its answer comes back: a POST with the token,
 * a timeout, and every way it can go wrong turned into a typed error from `errors.ts` (network,
 * HTTP status, permission, GraphQL errors, an answer of the wrong shape). The operations in
 * `client.ts` then deal only in parsed data.
 */
import type { z } from 'zod';
import { parseJsonLosslessly } from '../../../core/json.js';
import { describeZodError } from '../../../core/validation.js';
import { CIRRUS_API } from '../links.js';
import {
  CirrusGraphqlError,
  CirrusHttpError,
  CirrusNetworkError,
  CirrusPermissionError,
  CirrusResponseError,
  isPermissionMessage,
} from './errors.js';
import { graphqlEnvelopeSchema } from './responses.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface CirrusTransportOptions {
  /** The GraphQL endpoint. Default: `https://api.cirrus-ci.com/graphql`. */
  readonly endpoint?: string;
  /** A Cirrus API token, sent as `Authorization: Bearer`. Default: none (public repositories only). */
  readonly token?: string;
  /** The transport. Default: the global `fetch`. */
  readonly fetch?: FetchLike;
  /** Abort a request after this many ms. Default: 30 000. */
  readonly timeoutMs?: number;
}

/** One GraphQL request and what its answer's `data` must look like. */
export interface CirrusCall<T> {
  readonly document: string;
  readonly variables: Record<string, unknown>;
  readonly schema: z.ZodType<T>;
  /** For messages: `approve build 123`. */
  readonly action: string;
  /** The permission the call needs, so a refusal can say which token to make. */
  readonly needs: 'READ' | 'WRITE';
  /** Aborts the request early (besides the timeout): the caller stopped waiting. */
  readonly signal?: AbortSignal;
}

export interface CirrusTransport {
  /** Whether a token is sent: a refusal or a missing build means something else without one. */
  readonly hasToken: boolean;
  /** Sends `call`; resolves to its parsed `data`, or rejects with a typed Cirrus error. */
  request<T>(call: CirrusCall<T>): Promise<T>;
}

/** Throws a TypeError at once on an endpoint that is not an http(s) URL. */
export function createCirrusTransport(options: CirrusTransportOptions = {}): CirrusTransport {
  const endpoint = options.endpoint ?? CIRRUS_API;
  const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new TypeError(`Cirrus endpoint must be an http(s) URL, got '${endpoint}'`);
  }
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  // A blank token setting means no token, so public repositories can still be read.
  const token = options.token !== undefined && options.token.length > 0 ? options.token : undefined;

  async function request<T>(call: CirrusCall<T>): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: call.document, variables: call.variables }),
        signal: call.signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), call.signal]) : AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new CirrusNetworkError(`Cannot reach the Cirrus API at ${endpoint} to ${call.action}: ${errorText(error)}`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new CirrusPermissionError(call.action, call.needs, token !== undefined, undefined, `HTTP ${response.status} ${snippet(text)}`);
    }
    if (!response.ok) {
      throw new CirrusHttpError(response.status, `Cirrus API answered HTTP ${response.status} to ${call.action}: ${snippet(text)}`);
    }
    let envelope;
    try {
      envelope = graphqlEnvelopeSchema.parse(parseJsonLosslessly(text));
    } catch (error) {
      throw new CirrusResponseError(`Cirrus API sent no GraphQL answer to ${call.action}: ${errorText(error)}`);
    }
    // A refusal can also come as a GraphQL error in a 200 answer; it gets the permission advice.
    const errors = envelope.errors ?? [];
    const refused = errors.find((e) => isPermissionMessage(e.message, e.extensions?.['code']));
    if (refused) throw new CirrusPermissionError(call.action, call.needs, token !== undefined, undefined, refused.message);
    if (errors.length > 0) throw new CirrusGraphqlError(errors.map((e) => e.message));
    const parsed = call.schema.safeParse(envelope.data);
    if (!parsed.success) {
      throw new CirrusResponseError(`Unexpected Cirrus answer to ${call.action}: ${describeZodError(parsed.error)}`);
    }
    return parsed.data;
  }

  return { hasToken: token !== undefined, request };
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

/** The start of a body, for an error message: enough to recognise a proxy's page, not a dump. */
function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
