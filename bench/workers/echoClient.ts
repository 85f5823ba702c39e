/**
 * Latency anchor, client side: `count` messages at `perSecond` to the echo server, each timed from
 * send to echo with process.hrtime.bigint() in this one process (a round trip: two loopback hops
 * and two WebSocket frames, the floor under anything the relay can do).
 *
 * argv[2]: JSON {url, count, perSecond}. Sends {kind:'echo', samples}.
 */
import WebSocket from 'ws';

const config = JSON.parse(process.argv[2]!) as { url: string; count: number; perSecond: number };
const socket = new WebSocket(config.url, { perMessageDeflate: false });
await new Promise((resolve, reject) => {
  socket.once('open', resolve);
  socket.once('error', reject);
});
const samples: number[] = [];
let answered = 0;
const finished = new Promise<void>((resolve) => {
  socket.on('message', (data) => {
    const arrival = process.hrtime.bigint();
    samples.push(Number(arrival - BigInt(data.toString())) / 1e6);
    answered += 1;
    if (answered === config.count) resolve();
  });
});
const started = process.hrtime.bigint();
const periodNs = 1e9 / config.perSecond;
for (let i = 0; i < config.count; i += 1) {
  const waitMs = Number(started + BigInt(Math.round(i * periodNs)) - process.hrtime.bigint()) / 1e6;
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  socket.send(String(process.hrtime.bigint()));
}
await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 10_000))]);
socket.terminate();
process.send!({ kind: 'echo', samples }, () => process.exit(0));
