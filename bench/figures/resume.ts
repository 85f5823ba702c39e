/**
 * resume: a client 100,000 events behind catches up. The log is seeded through the relay's own
 * ingest code, the relay is started on it, and one client connects with after=0 and asks for
 * batch frames (batch=1, as the desktop client does; it checks each event's seq without parsing the
 * JSON, see workers/resumeClient.ts); rows/s = events received ÷ time from opening the socket to
 * the live frame. Anchor: the same rows read straight from SQLite by the relay's own read function
 * and batch size (workers/readLog.ts), on the same core.
 */
import type { FigureModule } from '../lib/figure.js';
import { ratioOf } from '../lib/figure.js';
import { workerScript } from '../lib/paths.js';
import { LOAD_CORE, SERVER_CORE, startNode } from '../lib/processes.js';
import { CHANNEL, CHANNEL_SECRET, createRelayDatabase, startRelay } from '../lib/relay.js';
import { round } from '../lib/stats.js';

const is = <T>(kind: string) => (message: unknown): message is T => (message as { kind?: unknown }).kind === kind;

async function runToEnd<T>(script: string, config: unknown, core: number, kind: string): Promise<T> {
  const worker = startNode(workerScript(script), [JSON.stringify(config)], { core });
  try {
    return await worker.waitForMessage(is<T>(kind), 300_000);
  } finally {
    await worker.stop();
  }
}

/**
 * 100,000 in the quick run too: the whole figure takes about 8 s. At 20,000 the replay lasted
 * 0.1 s, mostly before V8 had optimised the relay's replay code (6.3 µs per event against 3.7 at
 * 100,000, timed inside the relay), so the quick figure measured the JIT's warm-up and missed in
 * one of three rounds (0.44–0.52×) where the full one met in all.
 */
const BEHIND = 100_000;

export const resumeFigure: FigureModule = async ({ log }) => {
  const behind = BEHIND;
  const database = createRelayDatabase();
  try {
    const token = database.issueToken();
    const { head } = await runToEnd<{ head: number }>('seedLog', { database: database.file, channel: CHANNEL, secret: CHANNEL_SECRET, count: behind }, SERVER_CORE, 'seeded');
    log(`resume: seeded ${head} events`);

    const anchor = await runToEnd<{ rows: number; seconds: number }>('readLog', { database: database.file, channel: CHANNEL, batch: 500 }, SERVER_CORE, 'read');
    const anchorRate = anchor.rows / anchor.seconds;

    const relay = await startRelay(database.file);
    let resumed: { events: number; seconds: number };
    try {
      resumed = await runToEnd('resumeClient', { url: `${relay.wsUrl}/stream`, token }, LOAD_CORE, 'resumed');
    } finally {
      await relay.stop();
    }
    const rate = resumed.events / resumed.seconds;
    log(`resume: relay ${Math.round(rate)} rows/s, SQLite alone ${Math.round(anchorRate)} rows/s`);
    const ratio = ratioOf(rate, anchorRate);
    return [{
      name: `resume: a client ${behind.toLocaleString('en-US')} events behind catches up`,
      value: round(rate, 0),
      unit: 'rows/s',
      anchor: { what: 'the same rows read straight from SQLite', value: round(anchorRate, 0), unit: 'rows/s' },
      ratio: ratio === null ? null : round(ratio, 3),
      bar: 'ratio ≥ 0.5',
      met: ratio !== null && ratio >= 0.5 && resumed.events === behind,
      note: `${resumed.events} of ${behind} events replayed in ${round(resumed.seconds, 2)} s; SQLite read ${anchor.rows} rows in ${round(anchor.seconds, 3)} s`,
    }];
  } finally {
    database.remove();
  }
};
