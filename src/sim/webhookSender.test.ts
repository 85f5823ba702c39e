import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/ports.js';
import { systemTimers } from '../core/timers.js';
import { verifyCirrusSignature } from '../providers/cirrus/signature.js';
import type { Simulator } from './simulator.js';
import { startSimulator } from './simulator.js';
import { createWebhookSender } from './webhookSender.js';

interface Received { headers: IncomingHttpHeaders; body: string }

/** A relay stand-in on 127.0.0.1:0 that answers each POST with the next status in `statuses` (then 201). */
async function fakeRelay(statuses: number[] = []) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(statuses.shift() ?? 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/acme`,
    received,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('webhooks from the simulator to a relay', () => {
  it('POSTs every change in order, signed over the exact bytes, with Cirrus headers', async () => {
    const relay = await fakeRelay();
    cleanups.push(relay.close);
    const sim: Simulator = await startSimulator({
      autoAdvance: false, graphql: false, seed: 9, relay: { url: relay.url, secret: 's3cret' },
    });
    cleanups.push(() => sim.stop());
    const bodies: string[] = [];
    sim.onEvent((e) => bodies.push(e.body));
    sim.advance(15_000);
    await sim.deliveriesSettled();
    expect(relay.received.map((r) => r.body)).toEqual(bodies);
    for (const { headers, body } of relay.received) {
      expect(verifyCirrusSignature(body, headers['x-cirrus-signature'] as string, 's3cret')).toBe(true);
      expect(['build', 'task']).toContain(headers['x-cirrus-event']);
      expect(headers['x-cirrus-timestamp']).toMatch(/^\d{13}$/);
      expect(headers['content-type']).toBe('application/json');
      expect(JSON.parse(body).task === undefined).toBe(false);
    }
    const buildEvents = relay.received.filter((r) => r.headers['x-cirrus-event'] === 'build');
    expect(buildEvents.length).toBeGreaterThan(0);
    for (const r of buildEvents) expect(JSON.parse(r.body).task).toEqual({});
  });

  it('retries a 5xx with backoff and keeps the order; drops a 4xx', async () => {
    const relay = await fakeRelay([503, 500, 400]);
    cleanups.push(relay.close);
    const warnings: string[] = [];
    const sender = createWebhookSender({
      target: { url: relay.url, secret: 'x' }, clock: Date.now, timers: systemTimers, retryBaseMs: 10,
      logger: { ...silentLogger, warn: (m) => warnings.push(m) },
    });
    cleanups.push(() => sender.stop());
    sender.send({ eventType: 'build', body: '{"n":1}' });
    sender.send({ eventType: 'build', body: '{"n":2}' });
    await sender.idle();
    // n:1 refused twice with 5xx, then accepted; n:2 refused with 400 and dropped, not retried.
    expect(relay.received.map((r) => r.body)).toEqual(['{"n":1}', '{"n":1}', '{"n":1}', '{"n":2}']);
    expect(sender.stats()).toEqual({ delivered: 1, failed: 1, queued: 0 });
    expect(warnings).toHaveLength(3);
  });

  it('retries a refused connection, then gives up and says so', async () => {
    const relay = await fakeRelay();
    await relay.close(); // nothing listens on that port any more
    const errors: string[] = [];
    const sender = createWebhookSender({
      target: { url: relay.url, secret: 'x' }, clock: Date.now, timers: systemTimers, retryBaseMs: 5, attempts: 3,
      logger: { ...silentLogger, error: (m) => errors.push(m) },
    });
    cleanups.push(() => sender.stop());
    sender.send({ eventType: 'task', body: '{}' });
    await sender.idle();
    expect(sender.stats().failed).toBe(1);
    expect(errors).toEqual(['gave up on a webhook delivery']);
  });

  it('refuses a bad relay URL or an empty secret up front', () => {
    const base = { clock: Date.now, timers: systemTimers, logger: silentLogger };
    expect(() => createWebhookSender({ ...base, target: { url: 'relay:8080', secret: 'x' } })).toThrow(TypeError);
    expect(() => createWebhookSender({ ...base, target: { url: 'http://127.0.0.1:1/hooks/a', secret: '' } })).toThrow(/secret/);
  });
});
