/**
 * The kill -9 scenario of issue #5: signed deliveries posted by concurrent senders that retry as
 * a webhook sender does, the relay SIGKILLed at random moments and restarted on the same port,
 * clients (the real relay client) subscribed throughout. Used by the test (small) and the soak.
 *
 * With `postgres` (issue #15): two relays on one PostgreSQL database, senders alternating
 * between them and moving to the other on a failure (as a load balancer does), clients knowing
 * both instances (`--relay a,b`), and each kill hitting one of the two at random.
 */
import { silentLogger } from '../../src/core/ports.js';
import { createMemoryCursor } from '../../src/client/sources/relay/cursorFile.js';
import { createRelaySource, type RelaySource } from '../../src/client/sources/relay/relayClient.js';
import { streamUrl } from '../../src/client/sources/relay/streamUrl.js';
import { buildDelivery, postDelivery, seedRelayDatabase } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';
import { DeliveryLedger, type LedgerFigures } from './deliveryLedger.js';
import { startRelayOnPort } from './relayProcess.js';

export interface KillScenarioOptions {
  readonly deliveries: number;
  readonly kills: number;
  readonly clients: number;
  /** Deliveries in flight at once. */
  readonly concurrency: number;
  /** Seeds the kill moments. */
  readonly seed: number;
  readonly log?: (line: string) => void;
  /** Run two relays on this PostgreSQL database (already holding channel `acme`) instead of one on SQLite. */
  readonly postgres?: { readonly url: string; readonly issueToken: () => Promise<string> };
}

export interface KillScenarioFigures extends LedgerFigures {
  readonly kills: number;
  readonly peakRssMb: number;
  readonly durationMs: number;
}

/** A small seeded generator (mulberry32): the same seed kills at the same moments. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runKillScenario(options: KillScenarioOptions): Promise<KillScenarioFigures> {
  const started = Date.now();
  const random = seeded(options.seed);
  const temp = makeTempDir('buildbell-kill-');
  const seededDb = options.postgres ? undefined : seedRelayDatabase(temp.dir, 'acme');
  const issueToken = async () => (options.postgres ? options.postgres.issueToken() : seededDb!.issueToken().token);
  const database = options.postgres?.url ?? seededDb!.file;
  const relays = options.postgres
    ? await Promise.all([startRelayOnPort(database), startRelayOnPort(database)])
    : [await startRelayOnPort(database)];
  const ledger = new DeliveryLedger();
  const sources: RelaySource[] = [];
  let peakRssMb = 0;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, ...relays.map((relay) => relay.rssMb()))), 100);
  try {
    for (let i = 0; i < options.clients; i += 1) {
      const record = ledger.addClient();
      // Clients know every instance, each starting on a different one.
      const urls = relays.map((_, k) => streamUrl(relays[(i + k) % relays.length]!.url));
      const source = createRelaySource({
        urls,
        token: await issueToken(),
        cursor: createMemoryCursor(0),
        logger: silentLogger,
        backoff: { initialMs: 50, maxMs: 400 },
        handlers: {
          onEvent: (event, meta) => {
            record.seqs.push(meta.seq);
            record.buildIds.push(event.build.id);
          },
          onCatchUp: () => undefined,
          onGap: () => undefined,
          onConnection: () => undefined,
        },
      });
      await source.start();
      sources.push(source);
    }

    // Kill when the acknowledged count crosses random thresholds spread over the run.
    const thresholds = Array.from({ length: options.kills }, () => Math.floor(random() * options.deliveries * 0.95)).sort((a, b) => a - b);
    let next = 1;
    const send = async () => {
      for (;;) {
        const id = next;
        next += 1;
        if (id > options.deliveries) return;
        const key = String(id);
        ledger.attempted.add(key);
        // Like a webhook sender: retry on no answer, 5xx and 429, with a short wait; behind a
        // load balancer, each attempt may land on the other instance.
        for (let attempt = 0; attempt < 200; attempt += 1) {
          const relay = relays[(id + attempt) % relays.length]!;
          try {
            const answer = await postDelivery(relay.url, 'acme', buildDelivery('acme', `repo${id % 7}`, id));
            if (answer.status >= 200 && answer.status < 300) {
              ledger.acknowledged.add(key);
              break;
            }
            if (answer.status < 500 && answer.status !== 429) throw new Error(`delivery ${id} refused with ${answer.status}`);
          } catch (error) {
            if ((error as Error).message.startsWith('delivery')) throw error;
          }
          await sleep(20 + random() * 80);
        }
      }
    };
    const killer = (async () => {
      for (const [k, threshold] of thresholds.entries()) {
        while (ledger.acknowledged.size < threshold && next <= options.deliveries) await sleep(5);
        const victim = Math.floor(random() * relays.length);
        await relays[victim]!.killAndRestart(Math.floor(random() * 150));
        options.log?.(`kill ${k + 1}/${options.kills} (relay ${victim + 1} of ${relays.length}) at ${ledger.acknowledged.size} acknowledged`);
      }
    })();
    await Promise.all([...Array.from({ length: options.concurrency }, send), killer]);

    const deadline = Date.now() + 120_000;
    while (!ledger.complete() && Date.now() < deadline) await sleep(50);
    // A moment more, so a duplicate or an invented event has every chance to show up.
    await sleep(300);
    return { ...ledger.figures(), kills: thresholds.length, peakRssMb: Math.round(peakRssMb * 10) / 10, durationMs: Date.now() - started };
  } finally {
    clearInterval(sampler);
    await Promise.all(sources.map((source) => source.stop()));
    await Promise.all(relays.map((relay) => relay.stop()));
    temp.remove();
  }
}
