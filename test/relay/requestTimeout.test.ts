/**
 * A body stalled past the request timeout, from a client that never closes its side: the relay
 * answers 408 and must then let the request go. Before, it only half-closed the socket, so the
 * request stayed open as long as the client wished, holding its buffered bytes and its place
 * among the address's bodies in flight: with 64 such sockets an address could never deliver
 * again, and every stalled socket kept up to 1 MiB in memory with no time limit at all.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { buildDelivery, postDelivery, seedRelayDatabase } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
const seeded = seedRelayDatabase(temp.dir);
let relay: Relay;
const stalled: net.Socket[] = [];

beforeAll(async () => {
  // Two bodies in flight per address, so two stalled ones are enough to show a leak.
  relay = await startRelay({ database: seeded.file, port: 0, headersTimeoutMs: 300, requestTimeoutMs: 600, maxBodiesPerAddress: 2 });
});

afterAll(async () => {
  stalled.forEach((socket) => socket.destroy());
  await relay.close();
  temp.remove();
});

/** Sends the head and half the declared body, then nothing, and never ends its side. */
function stallBody(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    stalled.push(socket);
    socket.on('error', () => undefined);
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1').split('\r\n')[0]!));
    socket.write(`POST /hooks/acme HTTP/1.1\r\nHost: relay.test\r\nContent-Type: application/json\r\nX-Cirrus-Event: build\r\nContent-Length: 1000\r\n\r\n${' '.repeat(500)}`);
  });
}

describe('a webhook body stalled past the request timeout', () => {
  it('gets 408 and its place is freed, though the client never closes its side', async () => {
    // The clients keep their side open (allowHalfOpen): only the relay can end these requests.
    expect(await Promise.all([stallBody(relay.port), stallBody(relay.port)])).toEqual(['HTTP/1.1 408 Request Timeout', 'HTTP/1.1 408 Request Timeout']);
    // Both places must come free: a leak keeps this address at 429 for good, so a few tries suffice.
    let status = 0;
    for (let attempt = 0; attempt < 10 && status !== 200; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 1))).status;
    }
    expect(status).toBe(200);
  }, 15_000);
});
