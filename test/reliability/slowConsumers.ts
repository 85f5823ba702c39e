/**
 * Slow and stuck consumers (issue #5): 100 clients that open a stream and never read must not
 * slow the others down more than 2x, are cut off once their buffer passes the cap, and the
 * relay's memory stays bounded. Shared by the test and the soak.
 */
import net from 'node:net';
import { startRelayOnPort } from './relayProcess.js';
import { readMetric, TEST_METRICS_TOKEN } from '../support/metrics.js';
import { upgradeRequest } from '../hostile/wire.js';
import { postDelivery, seedRelayDatabase, StreamRecorder } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

export interface SlowConsumerOptions {
  readonly stuckClients: number;
  /** Deliveries timed without stuck clients. */
  readonly deliveries: number;
  /** Deliveries timed with them: enough to pass the kernel's buffers and the cap. */
  readonly stuckDeliveries: number;
}

export interface SlowConsumerFigures {
  readonly baselineP50Ms: number;
  readonly baselineP95Ms: number;
  readonly stuckP50Ms: number;
  readonly stuckP95Ms: number;
  /** Stuck clients the relay still held at the end (it should have cut them all off). */
  readonly stuckLeft: number;
  /** Growth of the relay process's resident memory while the stuck clients were connected. */
  readonly rssGrowthMb: number;
  readonly peakRssMb: number;
  readonly readerEvents: number;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A task event with the longest fields the schema allows (about 3.5 KB a frame): the kernel takes
 * up to 4 MiB of send buffer per socket on loopback before the relay's own buffer grows at all.
 */
function delivery(id: number): string {
  return JSON.stringify({
    action: 'updated',
    repository: { id: 1, owner: 'acme', name: 'web', isPrivate: false },
    build: { id, branch: 'b'.repeat(1000), status: 'FAILED', changeMessageTitle: 't'.repeat(480), changeIdInRepo: 'c'.repeat(200) },
    task: { id: id + 1_000_000, name: 'n'.repeat(1000), status: 'FAILED' },
  });
}

export async function runSlowConsumerScenario(options: SlowConsumerOptions): Promise<SlowConsumerFigures> {
  const temp = makeTempDir('buildbell-slow-');
  const seeded = seedRelayDatabase(temp.dir, 'acme');
  const { token } = seeded.issueToken();
  // A relay process of its own, as in production: its memory is measured apart from the test's,
  // and the 100 stuck sockets' receiving end does not compete with it for the same event loop.
  const relay = await startRelayOnPort(seeded.file, ['--rate-limits', 'off', '--max-streams-per-token', '1000', '--metrics-token', TEST_METRICS_TOKEN]);
  let peakRssMb = 0;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, relay.rssMb())), 100);
  const reader = await StreamRecorder.connect(relay.url, token);
  const stuck: net.Socket[] = [];
  let id = 0;
  const timed = async (count: number) => {
    const latencies: number[] = [];
    for (let i = 0; i < count; i += 1) {
      id += 1;
      const started = performance.now();
      const answer = await postDelivery(relay.url, 'acme', delivery(id), { eventType: 'task' });
      if (answer.status !== 200) throw new Error(`delivery ${id} got ${answer.status}`);
      const want = id;
      await reader.waitFor(() => reader.events.at(-1)?.seq === answer.body['seq'] && reader.events.length >= want, 10_000);
      latencies.push(performance.now() - started);
    }
    return latencies;
  };
  const clients = () => readMetric(relay.url, 'buildbell_clients_connected');
  try {
    await timed(20); // warm-up
    const baseline = await timed(options.deliveries);
    const rssBefore = relay.rssMb();
    for (let i = 0; i < options.stuckClients; i += 1) {
      const socket = net.connect(relay.port, '127.0.0.1', () => socket.write(upgradeRequest('/stream', [['Authorization', `Bearer ${token}`]])));
      socket.pause(); // never reads a byte
      socket.on('error', () => undefined);
      stuck.push(socket);
    }
    for (let i = 0; i < 100 && (await clients()) < options.stuckClients + 1; i += 1) await sleep(50);
    const withStuck = await timed(options.stuckDeliveries);
    // Cut-off sockets are terminated a second after the close frame they cannot read.
    for (let i = 0; i < 60 && (await clients()) > 1; i += 1) await sleep(100);
    const rssGrowthMb = peakRssMb - rssBefore;
    return {
      baselineP50Ms: round(percentile(baseline, 0.5)),
      baselineP95Ms: round(percentile(baseline, 0.95)),
      stuckP50Ms: round(percentile(withStuck, 0.5)),
      stuckP95Ms: round(percentile(withStuck, 0.95)),
      stuckLeft: (await clients()) - 1,
      rssGrowthMb: round(rssGrowthMb),
      peakRssMb: round(peakRssMb),
      readerEvents: reader.events.length,
    };
  } finally {
    stuck.forEach((socket) => socket.destroy());
    clearInterval(sampler);
    reader.close();
    await relay.stop();
    temp.remove();
  }
}

const round = (value: number) => Math.round(value * 100) / 100;
