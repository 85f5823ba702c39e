/**
 * Many WebSocket clients in one process (on the load core), for the latency, fan-out and idle
 * figures. Each client stamps a frame on arrival with process.hrtime.bigint(), the first thing its
 * message handler does, and subtracts the sender's stamp carried in the frame (lib/deliveries.ts).
 * Both stamps read CLOCK_MONOTONIC, one clock for every process on the host, so no clock offset
 * enters the figure (unlike Date.now or performance.timeOrigin, which follow the wall clock).
 *
 * argv[2]: JSON {url, token?, count, waitFor: 'live'|'open'}. IPC in: {cmd:'report'|'reset'|'close'};
 * out: {kind:'ready'}, {kind:'report', ...}.
 */
import WebSocket from 'ws';
import { readMarker } from '../lib/deliveries.js';

const config = JSON.parse(process.argv[2]!) as { url: string; token?: string; count: number; waitFor: 'live' | 'open' };

/** Latency samples (ms) of every frame with a marker, across all clients. */
let samples: number[] = [];
/** Per delivery id: [frames received, latest arrival latency in ms]. */
let perDelivery = new Map<number, [number, number]>();
let frames = 0;
let firstArrivalNs = 0n;
let lastArrivalNs = 0n;
let frameBytes = 0;
let closedEarly = 0;
const closeCodes: Record<string, number> = {};
const sockets: WebSocket[] = [];
let shuttingDown = false;

function onFrame(arrival: bigint, data: WebSocket.RawData): void {
  frames += 1;
  if (firstArrivalNs === 0n) firstArrivalNs = arrival;
  lastArrivalNs = arrival;
  const text = data.toString();
  const marker = readMarker(text);
  if (!marker) return;
  frameBytes = Buffer.byteLength(text);
  const [id, stamp] = marker;
  const latencyMs = Number(arrival - stamp) / 1e6;
  samples.push(latencyMs);
  const seen = perDelivery.get(id);
  if (seen) {
    seen[0] += 1;
    if (latencyMs > seen[1]) seen[1] = latencyMs;
  } else perDelivery.set(id, [1, latencyMs]);
}

function connect(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(config.url, {
      headers: config.token ? { authorization: `Bearer ${config.token}` } : {},
      perMessageDeflate: false,
    });
    let ready = false;
    socket.on('message', (data) => {
      const arrival = process.hrtime.bigint();
      if (!ready) {
        // The relay's stream is live after hello (+ replay) + the live frame.
        if (config.waitFor === 'live' && data.toString().includes('"type":"live"')) {
          ready = true;
          resolve();
        }
        return;
      }
      onFrame(arrival, data);
    });
    socket.once('open', () => {
      sockets.push(socket);
      if (config.waitFor === 'open') {
        ready = true;
        resolve();
      }
    });
    socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    socket.on('error', (error) => {
      if (!ready) reject(error);
    });
    socket.on('close', (code) => {
      if (shuttingDown) return;
      closedEarly += 1;
      closeCodes[code] = (closeCodes[code] ?? 0) + 1;
    });
  });
}

// Bounded concurrency: thousands of simultaneous handshakes would only measure the SYN backlog.
const CONNECT_CONCURRENCY = 100;
let next = 0;
await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, config.count) }, async () => {
  while (next < config.count) {
    next += 1;
    await connect();
  }
}));
process.send!({ kind: 'ready', connected: sockets.length });

process.on('message', (message: { cmd: string }) => {
  if (message.cmd === 'reset') {
    samples = [];
    perDelivery = new Map();
    frames = 0;
    firstArrivalNs = 0n;
    lastArrivalNs = 0n;
    process.send!({ kind: 'reset-done' });
  } else if (message.cmd === 'report') {
    process.send!({
      kind: 'report',
      clients: sockets.length,
      frames,
      frameBytes,
      closedEarly,
      closeCodes,
      firstArrivalNs: String(firstArrivalNs),
      lastArrivalNs: String(lastArrivalNs),
      samples,
      perDelivery: [...perDelivery],
    });
  } else if (message.cmd === 'close') {
    shuttingDown = true;
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});
