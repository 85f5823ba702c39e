/** A PostgreSQL database ready for relays: channel `acme` with the test secret, and tokens on demand. */
import { openStorage } from '../../src/relay/storage/openStorage.js';
import type { TestPostgres } from './postgres.js';
import { TEST_SECRET } from './relay.js';

/** A fresh database with channel `acme`, and a way to issue tokens on it. */
export async function seededPostgres(server: TestPostgres) {
  const url = await server.createDatabase();
  const admin = await openStorage(url);
  await admin.upsertChannel('acme', TEST_SECRET, Date.now());
  await admin.close();
  const issueToken = async () => {
    const storage = await openStorage(url);
    try {
      return (await storage.issueToken('acme', 'kill scenario', [], Date.now())).token;
    } finally {
      await storage.close();
    }
  };
  return { url, issueToken };
}

