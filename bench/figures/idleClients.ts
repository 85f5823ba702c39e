/**
 * idle clients: what each connected but quiet desktop costs the relay in memory. The relay runs
 * with --expose-gc and the bench-only SIGUSR2 preload (workers/gcPreload.ts); its RSS is read from
 * /proc/<pid>/status after a full GC with 0 clients (the anchor), and again after N clients have
 * connected, authenticated, replayed and gone live. Per client = (RSS_N − RSS_0) ÷ N.
 */
import { ClientFleet } from '../lib/clients.js';
import type { FigureModule } from '../lib/figure.js';
import { rssBytes } from '../lib/procfs.js';
import { createRelayDatabase, startRelay, type RunningRelay } from '../lib/relay.js';
import { round, sleep } from '../lib/stats.js';

const KIB = 1024;
const MIB = 1024 * KIB;

async function rssAfterGc(relay: RunningRelay): Promise<number> {
  const count = () => relay.stderr().split('[bench-gc] done').length - 1;
  const before = count();
  process.kill(relay.pid, 'SIGUSR2');
  const deadline = Date.now() + 30_000;
  while (count() === before) {
    if (Date.now() > deadline) throw new Error('the relay did not answer the GC signal');
    await sleep(50);
  }
  // Let the allocator hand freed pages back before reading.
  await sleep(500);
  return rssBytes(relay.pid);
}

export const idleClientsFigure: FigureModule = async ({ quick, log }) => {
  const clients = quick ? 2_000 : 10_000;
  const database = createRelayDatabase();
  const relay = await startRelay(database.file, { gcOnSignal: true });
  let fleet: ClientFleet | undefined;
  try {
    await sleep(1000);
    const empty = await rssAfterGc(relay);
    fleet = await ClientFleet.start({ url: `${relay.wsUrl}/stream`, token: database.issueToken(), total: clients, processes: 4, waitFor: 'live' });
    const connected = await relay.clientsConnected();
    await sleep(2000);
    const full = await rssAfterGc(relay);
    const perClientKiB = (full - empty) / clients / KIB;
    log(`idle clients: RSS ${round(empty / MIB, 1)} MiB empty, ${round(full / MIB, 1)} MiB with ${clients} clients: ${round(perClientKiB, 2)} KiB each`);
    return [{
      name: `idle clients: relay memory per connected client, ${clients.toLocaleString('en-US')} clients, after a GC`,
      value: round(perClientKiB, 2),
      unit: 'KiB/client',
      anchor: { what: 'relay RSS with 0 clients, after a GC', value: round(empty / MIB, 1), unit: 'MiB' },
      ratio: null,
      bar: '≤ 16 KiB/client',
      met: perClientKiB <= 16 && connected === clients,
      note: `RSS ${round(full / MIB, 1)} MiB with ${connected} clients reported by /metrics`,
    }];
  } finally {
    await fleet?.close();
    await relay.stop();
    database.remove();
  }
};
