/**
 * Posts signed Cirrus deliveries for the latency and fan-out figures (on the load core). Each
 * body carries `bench <id> <stamp>`, where the stamp is process.hrtime.bigint() taken just before
 * the body is signed and written: the start of the webhook → client latency.
 *
 * Two modes. `rate`: open loop, `count` deliveries at `perSecond`, each sent on schedule whether or
 * not earlier ones were answered (a paced sender that waited would hide queueing). `closed`:
 * `concurrency` deliveries always in flight for `durationSec` (saturation).
 *
 * argv[2]: JSON {url, secret, mode, perSecond?, count?, concurrency?, durationSec?}. Sends {kind:'posted', ...}.
 */
import { Agent, request } from 'node:http';
import type * as Signature from '../../src/providers/cirrus/signature.js';
import { loadBuilt } from '../lib/built.js';
import { buildDeliveryBody } from '../lib/deliveries.js';

const { signCirrusPayload } = await loadBuilt<typeof Signature>('providers/cirrus/signature.js');

const config = JSON.parse(process.argv[2]!) as {
  url: string; secret: string; mode: 'rate' | 'closed'; perSecond?: number; count?: number; concurrency?: number; durationSec?: number;
};
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const target = new URL(config.url);
let sent = 0;
let ok = 0;
let failed = 0;
let firstStampNs = 0n;
const statuses: Record<string, number> = {};

function post(id: number): Promise<void> {
  const stamp = process.hrtime.bigint();
  if (firstStampNs === 0n) firstStampNs = stamp;
  const body = buildDeliveryBody(process.pid, id, stamp);
  sent += 1;
  return new Promise((resolve) => {
    const req = request({
      agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: {
        'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
        'x-cirrus-event': 'build', 'x-cirrus-signature': signCirrusPayload(body, config.secret),
      },
    }, (response) => {
      response.resume();
      response.on('end', () => {
        statuses[response.statusCode ?? 0] = (statuses[response.statusCode ?? 0] ?? 0) + 1;
        if (response.statusCode === 200) ok += 1;
        else failed += 1;
        resolve();
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      failed += 1;
      resolve();
    });
    req.end(body);
  });
}

const started = process.hrtime.bigint();
const inFlight: Promise<void>[] = [];
if (config.mode === 'rate') {
  const count = config.count!;
  const periodNs = 1e9 / config.perSecond!;
  for (let id = 1; id <= count; id += 1) {
    // Absolute schedule: a late timer does not shift every later delivery.
    const dueNs = started + BigInt(Math.round((id - 1) * periodNs));
    const waitMs = Number(dueNs - process.hrtime.bigint()) / 1e6;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    inFlight.push(post(id));
  }
} else {
  const endNs = started + BigInt(config.durationSec! * 1e9);
  let id = 0;
  await Promise.all(Array.from({ length: config.concurrency! }, async () => {
    while (process.hrtime.bigint() < endNs) {
      id += 1;
      await post(id);
    }
  }));
}
await Promise.all(inFlight);
const durationSec = Number(process.hrtime.bigint() - started) / 1e9;
agent.destroy();
process.send!({ kind: 'posted', sent, ok, failed, statuses, firstStampNs: String(firstStampNs), durationSec }, () => process.exit(0));
