/**
 * Resume anchor: the same rows read straight from SQLite with better-sqlite3, the same query and
 * batch size the relay's replay uses (EventLog.readAfter, 500 rows), and nothing else: no frames,
 * no socket. It runs on the server core, where the relay runs.
 *
 * argv[2]: JSON {database, channel, batch}. Sends {kind:'read', rows, seconds}.
 */
import Database from 'better-sqlite3';

const config = JSON.parse(process.argv[2]!) as { database: string; channel: string; batch: number };
const db = new Database(config.database, { readonly: true });
const select = db.prepare(`
  SELECT seq, repo AS repository, event AS eventJson FROM events
  WHERE channel = ? AND seq > ? AND event IS NOT NULL
  ORDER BY seq LIMIT ?`);
const started = process.hrtime.bigint();
let rows = 0;
let cursor = 0;
let bytes = 0;
for (;;) {
  const batch = select.all(config.channel, cursor, config.batch) as { seq: number; eventJson: string }[];
  for (const row of batch) bytes += row.eventJson.length;
  rows += batch.length;
  if (batch.length < config.batch) break;
  cursor = batch[batch.length - 1]!.seq;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
db.close();
process.send!({ kind: 'read', rows, seconds, bytes }, () => process.exit(0));
