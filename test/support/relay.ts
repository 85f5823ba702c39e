/**
 * Helpers for tests against a real relay: seed a real SQLite file with a channel and tokens, POST
 * signed deliveries over real HTTP, and read the stream with a real WebSocket client.
 */
import path from 'node:path';
import WebSocket from 'ws';
import { ChannelStore } from '../../src/relay/channels.js';
import { openRelayDatabase } from '../../src/relay/database.js';
import { TokenStore } from '../../src/relay/tokens.js';
import { signCirrusPayload } from '../../src/providers/cirrus/signature.js';
import { serverFrameSchema, type ServerFrame } from '../../src/core/protocol.js';

export const TEST_SECRET = 'a-channel-secret-for-tests';

/** Creates the database with one channel and returns a function that issues tokens on it. */
export function seedRelayDatabase(dir: string, channel = 'acme') {
  const file = path.join(dir, 'relay.db');
  const db = openRelayDatabase(file);
  new ChannelStore(db).upsert(channel, TEST_SECRET, Date.now());
  db.close();
  return {
    file,
    /** A token of `tokenChannel` for `repos` (every repository when empty); its label is the name acknowledgements show. */
    issueToken(repos: string[] = [], tokenChannel = channel, label = 'test'): { id: string; token: string } {
      const handle = openRelayDatabase(file);
      try {
        const issued = new TokenStore(handle).issue(tokenChannel, label, repos, Date.now());
        return { id: issued.info.id, token: issued.token };
      } finally {
        handle.close();
      }
    },
    revoke(id: string): void {
      const handle = openRelayDatabase(file);
      new TokenStore(handle).revoke(id, Date.now());
      handle.close();
    },
  };
}

export interface PostOptions {
  readonly eventType?: string | null;
  readonly secret?: string;
  readonly signature?: string | null;
  readonly headers?: Record<string, string>;
  readonly method?: string;
}

/** POSTs a delivery signed like Cirrus does, unless told otherwise. */
export async function postDelivery(baseUrl: string, channel: string, body: string | Buffer, options: PostOptions = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  const eventType = options.eventType === undefined ? 'build' : options.eventType;
  if (eventType !== null) headers['x-cirrus-event'] = eventType;
  const signature = options.signature === undefined ? signCirrusPayload(body, options.secret ?? TEST_SECRET) : options.signature;
  if (signature !== null) headers['x-cirrus-signature'] = signature;
  const response = await fetch(`${baseUrl}/hooks/${channel}`, { method: options.method ?? 'POST', headers, body: options.method === 'GET' ? undefined : new Uint8Array(Buffer.from(body)) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A Cirrus build delivery for `owner/name` with a distinct build id, in the real flat shape. */
export function buildDelivery(owner: string, name: string, buildId: number, status = 'FAILED'): string {
  return JSON.stringify({
    action: 'updated',
    old_status: 'EXECUTING',
    repository: { id: 1000 + name.length, owner, name, isPrivate: false },
    build: { id: buildId, branch: 'main', changeIdInRepo: 'abc123', changeTimestamp: 1722406690000, changeMessageTitle: `build ${buildId}`, status, user: { id: 1, username: 'dev' } },
    task: {},
  });
}

/**
 * A WebSocket client that records every frame it receives, parsed with the protocol schema, and
 * its text as it came. Asked to (`batch: true`), it asks the relay for batch frames.
 */
export class StreamRecorder {
  readonly frames: ServerFrame[] = [];
  readonly texts: string[] = [];
  closeCode: number | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.texts.push(String(data));
      this.frames.push(serverFrameSchema.parse(JSON.parse(String(data))));
      this.notify();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.notify();
    });
    socket.on('error', () => this.notify());
  }

  static async connect(baseUrl: string, token: string, after?: number, options: WebSocket.ClientOptions & { batch?: boolean } = {}): Promise<StreamRecorder> {
    const { batch, ...clientOptions } = options;
    const query = [after === undefined ? [] : [`after=${after}`], batch === true ? ['batch=1'] : []].flat().join('&');
    const url = `${baseUrl.replace(/^http/, 'ws')}/stream${query === '' ? '' : `?${query}`}`;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, ...clientOptions });
    const recorder = new StreamRecorder(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
      socket.once('error', reject);
    });
    await recorder.waitFor((frames) => frames.length >= 1);
    return recorder;
  }

  /** Event frames received so far, those that came in batch frames included. */
  get events() {
    return this.frames.flatMap((frame) => (frame.type === 'batch' ? frame.frames : [frame])).flatMap((frame) => (frame.type === 'event' ? [frame] : []));
  }

  waitFor(done: (frames: ServerFrame[]) => boolean, timeoutMs = 10_000): Promise<void> {
    if (done(this.frames)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting; got ${this.frames.length} frames, close code ${this.closeCode}`));
      }, timeoutMs);
      const check = () => {
        if (done(this.frames)) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        } else if (this.closeCode !== undefined) {
          clearTimeout(timer);
          this.waiters.delete(check);
          reject(new Error(`socket closed (${this.closeCode}) before the condition held; got ${this.frames.length} frames`));
        }
      };
      this.waiters.add(check);
    });
  }

  waitForEvents(count: number, timeoutMs?: number): Promise<void> {
    return this.waitFor(() => this.events.length >= count, timeoutMs);
  }

  waitForClose(timeoutMs = 10_000): Promise<number> {
    if (this.closeCode !== undefined) return Promise.resolve(this.closeCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for the socket to close')), timeoutMs);
      this.socket.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  close(): void {
    this.socket.terminate();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
