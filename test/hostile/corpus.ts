/**
 * The hostile corpus: every request a careless or malicious sender might make, each with the
 * answer the relay must give. Generated here because some bodies are a megabyte; the list of cases
 * (id, category, description, expected answer) is committed as corpus.json so a reviewer can read
 * every expectation, and a test fails when the two drift apart.
 */
import { createHmac } from 'node:crypto';
import { TEST_SECRET } from '../support/relay.js';

export const CHANNEL = 'acme';
/** A second channel with another secret, for signatures made for the wrong channel. */
export const OTHER_CHANNEL = 'other';
export const OTHER_SECRET = 'another-channel-secret-entirely';
export const MAX_BODY = 1024 * 1024;

/** What a case must get. `status` 0: the connection closes without an answer. */
export interface Expectation {
  readonly status?: number;
  /** True when the delivery must be committed as exactly one new row; otherwise no row may appear. */
  readonly stored?: boolean;
  /** The committed event's build id, digit for digit (ids past 2^53). */
  readonly buildId?: string;
  /** WebSocket close code the relay must send after the frame; null: the socket must stay open. */
  readonly closeCode?: number | null;
  /** The code of the error frame the relay must answer the client's frame with. */
  readonly errorCode?: string;
  /** Flood cases: at least this many answers must be 429 with Retry-After, none 5xx. */
  readonly atLeast429?: number;
}

interface CaseBase {
  readonly id: string;
  readonly category: string;
  readonly description: string;
  readonly expect: Expectation;
}

/** A request written byte for byte on a raw socket, so malformed ones can be sent at all. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** Raw header lines; `{{token}}`-style placeholders are filled in by the runner. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /** How the body is framed: Content-Length (default), chunked, or only the headers given. */
  readonly framing?: 'length' | 'chunked' | 'as-given';
}

export type HostileCase = CaseBase & (
  | { readonly kind: 'http'; readonly request: RawRequest; readonly rawHead?: string }
  | { readonly kind: 'slow'; readonly head: string; readonly drip: string; readonly everyMs: number; readonly connections: number }
  | { readonly kind: 'upgrade'; readonly path: string; readonly headers: ReadonlyArray<readonly [string, string]> }
  | { readonly kind: 'frame'; readonly frame: Buffer }
  | { readonly kind: 'flood'; readonly target: 'hook' | 'stream' | 'idle'; readonly count: number }
);

export function sign(body: Buffer | string, secret = TEST_SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

let nextBuildId = 7_000_000;
/** A valid Cirrus build delivery (real flat shape) with a build id no other case uses. */
export function buildPayload(): Record<string, unknown> {
  nextBuildId += 1;
  return {
    action: 'updated',
    old_status: 'EXECUTING',
    repository: { id: 1234, owner: 'acme', name: 'web', isPrivate: false },
    build: { id: nextBuildId, branch: 'main', changeIdInRepo: 'abc123', changeTimestamp: 1722406690000, changeMessageTitle: 'Fix', status: 'FAILED', user: { id: 1, username: 'dev' } },
    task: {},
  };
}

export function taskPayload(): Record<string, unknown> {
  const payload = buildPayload();
  return { ...payload, task: { id: (payload['build'] as { id: number }).id + 500_000, name: 'test', status: 'FAILED', nameAlias: 'test', creationTimestamp: 1722406690000 } };
}

interface SignedOptions {
  readonly eventType?: string | null;
  readonly signature?: string | null;
  readonly path?: string;
  readonly method?: string;
  readonly extraHeaders?: ReadonlyArray<readonly [string, string]>;
  readonly contentType?: string | null;
}

/** A POST of `body`, signed for the test channel unless told otherwise. */
export function signedRequest(body: Buffer | string, options: SignedOptions = {}): RawRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const headers: Array<readonly [string, string]> = [];
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  if (contentType !== null) headers.push(['Content-Type', contentType]);
  const eventType = options.eventType === undefined ? 'build' : options.eventType;
  if (eventType !== null) headers.push(['X-Cirrus-Event', eventType]);
  const signature = options.signature === undefined ? sign(bytes) : options.signature;
  if (signature !== null) headers.push(['X-Cirrus-Signature', signature]);
  headers.push(...(options.extraHeaders ?? []));
  return { method: options.method ?? 'POST', path: options.path ?? `/hooks/${CHANNEL}`, headers, body: bytes };
}

/** Writes a JSON value with one placeholder replaced by raw text (numbers JSON.stringify cannot write). */
export function jsonWithRaw(value: unknown, raw: string): string {
  const text = JSON.stringify(value);
  if (!text.includes('"@RAW@"')) throw new Error('no @RAW@ placeholder');
  return text.replace('"@RAW@"', raw);
}

export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return target;
}
