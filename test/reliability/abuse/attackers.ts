/**
 * Unauthenticated (or barely authenticated) abuse for the soak's abuse phase, each kind from its
 * own 127.0.0.x address and each bounded: it runs until stopped, and stop() closes every socket it
 * opened. Counters say what the relay answered.
 */
import net from 'node:net';
import fc from 'fast-check';
import { plainRequest } from '../../hostile/fuzz/requestClasses.js';
import { upgradeRequest } from '../../hostile/wire.js';
import { agentFrom, post } from './post.js';
import type { SignedDelivery } from './deliveries.js';

export interface Attacker {
  readonly name: string;
  /** What the relay answered, by status ('closed': a close without an answer). */
  readonly answers: Record<string, number>;
  stop(): Promise<void>;
}

const MIB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const statusOf = (data: Buffer) => /^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1', 0, 16))?.[1] ?? 'not HTTP';

function counter() {
  const answers: Record<string, number> = {};
  return { answers, count: (key: string) => (answers[key] = (answers[key] ?? 0) + 1) };
}

/** Malformed request lines, targets and header sets (the fuzzer's plain class), `perSecond` of them. */
export function malformedRequests(port: number, perSecond: number, seed: number): Attacker {
  const { answers, count } = counter();
  const samples = fc.sample(plainRequest({ channel: 'acme', token: 'bb_none', revokedToken: 'bb_none', secret: 'none' }), { seed, numRuns: 2000 });
  const sockets = new Set<net.Socket>();
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i += 1) {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.4' });
      sockets.add(socket);
      let data = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => (data = Buffer.concat([data, chunk]).subarray(0, 64)));
      socket.on('error', () => undefined);
      // Each connection lives at most 2 s: long enough for an answer, short enough to stay bounded.
      let outcome: string | undefined;
      const timer = setTimeout(() => {
        outcome = 'no answer in 2 s';
        socket.destroy();
      }, 2000);
      socket.on('close', () => {
        clearTimeout(timer);
        sockets.delete(socket);
        count(data.length > 0 ? statusOf(data) : outcome ?? (running ? 'closed' : 'in flight at the end'));
      });
      socket.end(samples[i % samples.length]!.bytes);
      await sleep(1000 / perSecond);
    }
  })();
  return {
    name: 'malformed requests', answers,
    async stop() {
      running = false;
      await loop;
      sockets.forEach((socket) => socket.destroy());
    },
  };
}

/**
 * `connections` POSTs to channels that do not exist, each declaring 1 MiB and sending all of it but
 * the last byte, then stalling (slowloris with a full body). Like a real slowloris, a connection
 * never closes its own side: only the relay can end it. Each one the relay answers is replaced, so
 * as many are held as the relay lets be held.
 */
export function stalledBodies(port: number, connections: number): Attacker {
  const { answers, count } = counter();
  const sockets = new Set<net.Socket>();
  const body = Buffer.alloc(MIB - 1, 0x20);
  let running = true;
  let serial = 0;
  const open = () => {
    if (!running) return;
    serial += 1;
    const head = `POST /hooks/no-such-channel-${serial} HTTP/1.1\r\nHost: relay.test\r\nContent-Type: application/json\r\nX-Cirrus-Event: build\r\nContent-Length: ${MIB}\r\n\r\n`;
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.6', allowHalfOpen: true });
    sockets.add(socket);
    let answered = false;
    // Pace the replacement: the relay's answer is what the figure is about, not a reconnect storm.
    const replace = () => running && setTimeout(open, 1000);
    socket.once('data', (chunk: Buffer) => {
      answered = true;
      count(statusOf(chunk));
      replace();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      if (answered) return;
      count(running ? 'closed' : 'held until the phase ended');
      replace();
    });
    socket.write(head);
    socket.write(body);
  };
  for (let i = 0; i < connections; i += 1) open();
  return {
    name: 'stalled 1 MiB bodies to unknown channels', answers,
    async stop() {
      running = false;
      sockets.forEach((socket) => socket.destroy());
    },
  };
}

/** A captured signed delivery replayed by `workers` keep-alive connections as fast as they are answered, up to `perSecond`. */
export function replays(port: number, captured: SignedDelivery, localAddress: string, perSecond: number, workers = 8): Attacker {
  const { answers, count } = counter();
  const agent = agentFrom(localAddress, workers);
  let running = true;
  const gapMs = (1000 / perSecond) * workers;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const started = performance.now();
      const answer = await post(port, agent, '/hooks/acme', captured.headers(), captured.body, 5000);
      count(answer.status === 0 ? 'closed' : String(answer.status));
      await sleep(Math.max(0, gapMs - (performance.now() - started)));
    }
  });
  return {
    name: `replays of a captured ${captured.provider} delivery`, answers,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

/** `connections` streams from `?after=0` with one token that never read a byte after the handshake. */
export function nonReadingStreams(port: number, token: string, connections: number): Attacker {
  const { answers, count } = counter();
  const sockets: net.Socket[] = [];
  for (let i = 0; i < connections; i += 1) {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.5' }, () => socket.write(upgradeRequest('/stream?after=0', [['Authorization', `Bearer ${token}`]])));
    // The status line is read, then nothing more: the replay piles up in the relay and the kernel.
    socket.once('data', (chunk: Buffer) => {
      count(statusOf(chunk));
      socket.pause();
    });
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  return {
    name: 'non-reading ?after=0 streams with one token', answers,
    async stop() {
      sockets.forEach((socket) => socket.destroy());
    },
  };
}
