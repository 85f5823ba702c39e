/**
 * Resume anchor: the same rows read straight from SQLite by the relay's own read, EventLog.readAfter
 * from dist/ (its query, its columns, the replay's batch size of 500), and nothing else: no
 * frames, no socket, no client. It runs on the server core, where the relay runs. Calling the
 * relay's function keeps the anchor's query the relay's: a copy of the SQL had drifted (it lacked
 * the kind column acknowledgements added, about 18 % of the read's time).
 *
 * argv[2]: JSON {database, channel, batch}. Sends {kind:'read', rows, seconds}.
 */
import type * as Database from '../../src/relay/database.js';
import type * as Log from '../../src/relay/eventLog.js';
import { loadBuilt } from '../lib/built.js';

const config = JSON.parse(process.argv[2]!) as { database: string; channel: string; batch: number };
const { openRelayDatabase } = await loadBuilt<typeof Database>('relay/database.js');
const { EventLog } = await loadBuilt<typeof Log>('relay/eventLog.js');
const db = openRelayDatabase(config.database, { mustExist: true });
const log = new EventLog(db);
const started = process.hrtime.bigint();
let rows = 0;
let cursor = 0;
let bytes = 0;
for (;;) {
  const batch = log.readAfter(config.channel, cursor, config.batch);
  for (const row of batch) bytes += row.eventJson.length;
  rows += batch.length;
  if (batch.length < config.batch) break;
  cursor = batch[batch.length - 1]!.seq;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
db.close();
process.send!({ kind: 'read', rows, seconds, bytes }, () => process.exit(0));
