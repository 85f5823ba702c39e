/**
 * Runs the hostile corpus against real relays on port 0 and judges every case: the expected
 * answer, nothing stored unless the case is a valid delivery, no polluted prototypes, the relay
 * still healthy afterwards, and no credential in its log. Used by the test and by the soak.
 */
import net from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { createStderrLogger } from '../../src/cli/logger.js';
import { ChannelStore } from '../../src/relay/channels.js';
import { openRelayDatabase } from '../../src/relay/database.js';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { TokenStore } from '../../src/relay/tokens.js';
import { TEST_SECRET } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';
import { buildPayload, CHANNEL, OTHER_CHANNEL, OTHER_SECRET, signedRequest, type HostileCase } from './corpus.js';
import { hostileCorpus } from './cases/index.js';
import { clientFrame } from './cases/stream.js';
import { encodeRequest, exchange, sendFrame, upgradeRequest, type RawAnswer } from './wire.js';

export interface CaseResult {
  readonly id: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface HostileReport {
  readonly total: number;
  readonly passed: number;
  readonly failures: readonly CaseResult[];
  /** Credentials found in the relay's log (must be empty). */
  readonly leakedInLog: readonly string[];
}

interface Fixture {
  readonly dir: string;
  readonly relay: Relay;
  /** The same relay's rules, but a burst of 20, for the flood cases; its own database. */
  readonly strict: Relay;
  readonly rows: () => number;
  readonly lastEvent: () => { build: { id: string } } | undefined;
  readonly vars: Readonly<Record<string, string>>;
  readonly log: () => string;
  close(): Promise<void>;
}

function seed(file: string) {
  const db = openRelayDatabase(file);
  const channels = new ChannelStore(db);
  channels.upsert(CHANNEL, TEST_SECRET, Date.now());
  channels.upsert(OTHER_CHANNEL, OTHER_SECRET, Date.now());
  const tokens = new TokenStore(db);
  const token = tokens.issue(CHANNEL, 'hostile', [], Date.now()).token;
  const otherToken = tokens.issue(OTHER_CHANNEL, 'hostile', [], Date.now()).token;
  const revoked = tokens.issue(CHANNEL, 'revoked', [], Date.now());
  tokens.revoke(revoked.info.id, Date.now());
  db.close();
  return { token, otherToken, revokedToken: revoked.token, tokenWithoutPrefix: token.slice(3), tokenTruncated: token.slice(0, -1) };
}

async function startFixture(): Promise<Fixture> {
  const temp = makeTempDir('buildbell-hostile-');
  const file = path.join(temp.dir, 'relay.db');
  const vars = seed(file);
  const strictFile = path.join(temp.dir, 'strict.db');
  const strictToken = seed(strictFile).token;
  const logStream = new PassThrough();
  let logText = '';
  logStream.on('data', (chunk: Buffer) => (logText += chunk.toString()));
  const logger = createStderrLogger(logStream);
  // Short timeouts so slow senders are judged in seconds; every other option is the default.
  const common = { port: 0, headersTimeoutMs: 1000, requestTimeoutMs: 2000, heartbeatMs: 5000 };
  const relay = await startRelay({ database: file, ...common }, { logger });
  const strictRule = { perSecond: 1, burst: 20 };
  const strict = await startRelay({ database: strictFile, ...common, rateLimits: { hookPerAddress: strictRule, hookPerChannel: strictRule, streamPerAddress: strictRule } }, { logger });
  const reader = new Database(file, { readonly: true });
  return {
    dir: temp.dir, relay, strict, vars: { ...vars, strictToken }, log: () => logText,
    rows: () => reader.prepare('SELECT count(*) FROM events').pluck().get() as number,
    lastEvent: () => {
      const json = reader.prepare('SELECT event FROM events WHERE event IS NOT NULL ORDER BY seq DESC LIMIT 1').pluck().get() as string | undefined;
      return json === undefined ? undefined : (JSON.parse(json) as { build: { id: string } });
    },
    async close() {
      reader.close();
      await relay.close();
      await strict.close();
      temp.remove();
    },
  };
}

const fill = (text: string, vars: Readonly<Record<string, string>>) => text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? `{{${name}}}`);

async function healthy(relay: Relay): Promise<boolean> {
  const port = relay.port;
  const answer = await exchange(port, `GET /healthz HTTP/1.1\r\nHost: relay.test\r\nConnection: close\r\n\r\n`, 5000);
  return answer.status === 200;
}

async function controlDelivery(relay: Relay): Promise<number> {
  return (await exchange(relay.port, encodeRequest(signedRequest(JSON.stringify(buildPayload()))), 10_000)).status;
}

/** Runs one case; returns what happened, in words, or '' when it is as expected. */
async function judge(entry: HostileCase, fx: Fixture): Promise<string> {
  const port = fx.relay.port;
  const before = fx.rows();
  let answer: RawAnswer | undefined;
  let extraRows = 0;
  switch (entry.kind) {
    case 'http': {
      answer = await exchange(port, encodeRequest(entry.request, entry.rawHead === 'omit-host'));
      if (answer.headers['x-injected'] !== undefined) return 'a header from the request was reflected in the answer';
      break;
    }
    case 'slow': {
      const sockets: net.Socket[] = [];
      const answers = Array.from({ length: entry.connections }, () => exchange(port, entry.head, 8000, (socket) => sockets.push(socket)));
      const drip = setInterval(() => sockets.forEach((socket) => socket.writable && socket.write(entry.drip)), entry.everyMs);
      let control = 200;
      if (entry.connections > 1) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        control = await controlDelivery(fx.relay);
        extraRows = 1;
      }
      const results = await Promise.all(answers);
      clearInterval(drip);
      if (control !== 200) return `a real delivery got ${control} during the slow senders`;
      const wrong = results.filter((result) => result.status !== entry.expect.status);
      if (wrong.length > 0) return `${wrong.length} of ${results.length} slow connections got ${wrong[0]!.status}`;
      answer = results[0];
      break;
    }
    case 'upgrade': {
      const headers = entry.headers.map(([name, value]) => [name, fill(value, fx.vars)] as const);
      answer = await exchange(port, upgradeRequest(fill(entry.path, fx.vars), headers), 5000);
      break;
    }
    case 'frame': {
      const texts: string[] = [];
      const code = await sendFrame(port, `Bearer ${fx.vars['token']}`, entry.frame, clientFrame(0x9, Buffer.from('alive?')), 3000, (text) => texts.push(text));
      if (code !== entry.expect.closeCode) return `expected close ${entry.expect.closeCode}, got ${code}`;
      if (entry.expect.errorCode !== undefined) {
        const errors = texts.map((text) => JSON.parse(text) as { type?: string; code?: string }).filter((frame) => frame.type === 'error');
        if (errors.length !== 1 || errors[0]!.code !== entry.expect.errorCode) return `expected one error frame ${entry.expect.errorCode}, got ${JSON.stringify(errors)}`;
      }
      break;
    }
    case 'flood': {
      const problem = await flood(entry, fx);
      if (problem) return problem;
      extraRows = entry.target === 'idle' ? 1 : 0;
      break;
    }
  }
  if (answer && entry.expect.status !== undefined && answer.status !== entry.expect.status) return `expected ${entry.expect.status}, got ${answer.status}`;
  if (answer && answer.status === 429 && answer.headers['retry-after'] === undefined) return '429 without Retry-After';
  const added = fx.rows() - before - extraRows;
  const wanted = entry.expect.stored ? 1 : 0;
  if (added !== wanted) return `expected ${wanted} new rows, found ${added}`;
  if (entry.expect.buildId !== undefined && fx.lastEvent()?.build.id !== entry.expect.buildId) return `stored build id ${fx.lastEvent()?.build.id}, not ${entry.expect.buildId}`;
  if ('polluted' in Object.prototype || ({} as Record<string, unknown>)['action'] !== undefined) return 'Object.prototype was polluted';
  if (!(await healthy(fx.relay)) || !(await healthy(fx.strict))) return 'the relay stopped answering /healthz';
  return '';
}

async function flood(entry: Extract<HostileCase, { kind: 'flood' }>, fx: Fixture): Promise<string> {
  if (entry.target === 'idle') {
    const sockets = await Promise.all(Array.from({ length: entry.count }, () => new Promise<net.Socket>((resolve) => {
      // resume(): a socket nobody reads never sees the relay's end, and so never closes.
      const socket = net.connect(fx.relay.port, '127.0.0.1', () => resolve(socket)).resume();
      socket.on('error', () => resolve(socket));
    })));
    const closed = Promise.all(sockets.map((socket) => new Promise((resolve) => (socket.destroyed ? resolve(null) : socket.once('close', resolve)))));
    const status = await controlDelivery(fx.relay);
    // Idle sockets must be let go by the header timeout, not kept forever.
    const timedOut = await Promise.race([closed.then(() => false), new Promise((resolve) => setTimeout(() => resolve(true), 6000))]);
    sockets.forEach((socket) => socket.destroy());
    if (status !== 200) return `a real delivery got ${status} during the flood`;
    if (timedOut) return 'idle connections were still open 6 s later';
    return '';
  }
  const port = fx.strict.port;
  const requests = Array.from({ length: entry.count }, () =>
    entry.target === 'hook'
      ? exchange(port, encodeRequest(signedRequest(JSON.stringify(buildPayload()))), 10_000)
      : exchange(port, upgradeRequest('/stream', [['Authorization', `Bearer ${fx.vars['strictToken']}`]]), 10_000));
  const answers = await Promise.all(requests);
  const limited = answers.filter((answer) => answer.status === 429 && answer.headers['retry-after'] !== undefined).length;
  const allowed = answers.filter((answer) => answer.status === (entry.target === 'hook' ? 200 : 101)).length;
  if (limited + allowed !== answers.length) return `unexpected answers: ${[...new Set(answers.map((answer) => answer.status))].join(', ')}`;
  if (limited < (entry.expect.atLeast429 ?? 1)) return `only ${limited} answers were 429`;
  return '';
}

export interface RunOptions {
  /** Only the cases whose id matches (for working on one case). */
  readonly only?: RegExp;
  readonly onResult?: (result: CaseResult) => void;
}

export async function runHostileCorpus(options: RunOptions = {}): Promise<HostileReport> {
  const fx = await startFixture();
  const results: CaseResult[] = [];
  try {
    for (const entry of hostileCorpus().filter((candidate) => options.only?.test(candidate.id) ?? true)) {
      let detail: string;
      try {
        detail = await judge(entry, fx);
      } catch (error) {
        detail = `the runner failed: ${(error as Error).message}`;
      }
      const result = { id: entry.id, passed: detail === '', detail };
      results.push(result);
      options.onResult?.(result);
    }
    const log = fx.log();
    const secrets = [TEST_SECRET, OTHER_SECRET, fx.vars['token']!, fx.vars['otherToken']!, fx.vars['revokedToken']!];
    const leakedInLog = secrets.filter((secret) => log.includes(secret) || log.includes(secret.slice(3)));
    const failures = results.filter((result) => !result.passed);
    return { total: results.length, passed: results.length - failures.length, failures, leakedInLog };
  } finally {
    await fx.close();
  }
}
