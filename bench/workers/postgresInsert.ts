/**
 * The anchor of the PostgreSQL ingest figure (its own process, on the load core): the same rows the
 * relay stores (a delivery's body and its normalised event), inserted straight with the `pg`
 * driver, one autocommitted INSERT each, from `connections` concurrent senders through a pool the
 * size of a relay's (10). What the database alone sustains, with no HTTP, signature or parsing.
 *
 * argv[2]: JSON {url, connections, durationSec, warmupSec}. Sends {kind:'postgres-insert', rows, durationSec} over IPC.
 */
import pg from 'pg';
import { buildDeliveryBody } from '../lib/deliveries.js';

const config = JSON.parse(process.argv[2]!) as { url: string; connections: number; durationSec: number; warmupSec: number };
const pool = new pg.Pool({ connectionString: config.url, max: 10 });
await pool.query(`CREATE TABLE IF NOT EXISTS anchor_rows (seq bigserial PRIMARY KEY, received_at bigint NOT NULL, body bytea NOT NULL, event jsonb NOT NULL)`);

let counter = 0;
async function insertFor(ms: number): Promise<number> {
  const until = Date.now() + ms;
  let rows = 0;
  const sender = async () => {
    while (Date.now() < until) {
      counter += 1;
      const body = buildDeliveryBody(process.pid, counter);
      const event = { id: `anchor-${counter}`, kind: 'build', provider: 'cirrus', body: JSON.parse(body) as unknown };
      await pool.query('INSERT INTO anchor_rows (received_at, body, event) VALUES ($1, $2, $3)', [Date.now(), Buffer.from(body), event]);
      rows += 1;
    }
  };
  await Promise.all(Array.from({ length: config.connections }, sender));
  return rows;
}

if (config.warmupSec > 0) await insertFor(config.warmupSec * 1000);
const started = Date.now();
const rows = await insertFor(config.durationSec * 1000);
const durationSec = (Date.now() - started) / 1000;
await pool.end();
process.send!({ kind: 'postgres-insert', rows, durationSec }, () => process.exit(0));
