/**
 * The ingest load generator (its own process, on the load core): autocannon with 50 connections
 * POSTing Cirrus build deliveries. setupRequest builds every body afresh (a counter makes each
 * one distinct, so the relay never takes its cheaper duplicate path) and signs it with the
 * channel secret exactly as Cirrus does. The anchor run gets the same load, signatures included,
 * so the load generator's cost is the same on both sides of the ratio.
 *
 * argv[2]: JSON {url, connections, durationSec, warmupSec, secret}. Sends {kind:'ingest', ...} over IPC.
 */
import autocannon, { type AutocannonRequest } from 'autocannon';
import type * as Signature from '../../src/providers/cirrus/signature.js';
import { loadBuilt } from '../lib/built.js';
import { buildDeliveryBody } from '../lib/deliveries.js';


const config = JSON.parse(process.argv[2]!) as { url: string; connections: number; durationSec: number; warmupSec: number; secret: string };
const { signCirrusPayload } = await loadBuilt<typeof Signature>('providers/cirrus/signature.js');

let counter = 0;
function signedDelivery(request: AutocannonRequest): AutocannonRequest {
  counter += 1;
  const body = buildDeliveryBody(process.pid, counter);
  request.body = body;
  request.headers = {
    'content-type': 'application/json',
    'x-cirrus-event': 'build',
    'x-cirrus-signature': signCirrusPayload(body, config.secret),
  };
  return request;
}

const run = (durationSec: number) => autocannon({
  url: config.url,
  connections: config.connections,
  duration: durationSec,
  timeout: 10,
  requests: [{ method: 'POST', setupRequest: signedDelivery }],
});

// Warm-up: JIT, SQLite page cache and connection set-up do not count.
if (config.warmupSec > 0) await run(config.warmupSec);
// The figure reads the server's CPU time now and at the end: its CPU per request.
await new Promise<void>((resolve) => process.send!({ kind: 'ingest-warm' }, () => resolve()));
const result = await run(config.durationSec);
process.send!({
  kind: 'ingest',
  ok2xx: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  durationSec: (result.finish.getTime() - result.start.getTime()) / 1000,
  latencyP99Ms: result.latency.p99,
}, () => process.exit(0));
