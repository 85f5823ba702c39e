/**
 * Fills a relay database with `count` events for the resume figure, through the relay's own
 * ingest pipeline from dist/ (verify, parse, validate, normalise, append), so the stored rows are
 * exactly what the relay would have stored. Batches run in one transaction each, which is only
 * how the seed is made fast; the figure measures reading them back.
 *
 * argv[2]: JSON {database, channel, secret, count}. Sends {kind:'seeded', head}.
 */
import type * as Channels from '../../src/relay/channels.js';
import type * as Ingest from '../../src/relay/ingest.js';
import type * as Sqlite from '../../src/relay/storage/sqliteStorage.js';
import type * as Signature from '../../src/providers/cirrus/signature.js';
import { loadBuilt } from '../lib/built.js';
import { buildDeliveryBody } from '../lib/deliveries.js';

const config = JSON.parse(process.argv[2]!) as { database: string; channel: string; secret: string; count: number };
const { SqliteStorage } = await loadBuilt<typeof Sqlite>('relay/storage/sqliteStorage.js');
const { ChannelSecrets } = await loadBuilt<typeof Channels>('relay/channels.js');
const { admitDelivery } = await loadBuilt<typeof Ingest>('relay/ingest.js');
const { signCirrusPayload } = await loadBuilt<typeof Signature>('providers/cirrus/signature.js');

const storage = new SqliteStorage(config.database);
const deps = { channels: new ChannelSecrets((name) => storage.channelSecret(name)), storage };
const BATCH = 5_000;
for (let start = 1; start <= config.count; start += BATCH) {
  const entries = [];
  for (let id = start; id < Math.min(start + BATCH, config.count + 1); id += 1) {
    const body = Buffer.from(buildDeliveryBody(7, id));
    const headers = { 'content-type': 'application/json', 'x-cirrus-event': 'build', 'x-cirrus-signature': signCirrusPayload(body, config.secret) };
    const admitted = await admitDelivery({ channel: config.channel, headers, body, receivedAt: Date.now() }, deps);
    if (admitted.kind !== 'commit') throw new Error(`seed delivery ${id} was not admitted: ${JSON.stringify(admitted)}`);
    entries.push(admitted.entry);
  }
  const results = await storage.append(entries);
  if (results.some((result) => result.duplicate)) throw new Error('a seed delivery was taken for a duplicate');
}
const head = await storage.head();
await storage.close();
process.send!({ kind: 'seeded', head }, () => process.exit(0));
