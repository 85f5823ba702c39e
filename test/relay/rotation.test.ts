/** A channel secret rotated with `buildbell admin` applies to a running relay without a restart. */
import { afterAll, describe, expect, it } from 'vitest';
import { ChannelStore } from '../../src/relay/channels.js';
import { openRelayDatabase } from '../../src/relay/database.js';
import { startRelay } from '../../src/relay/server.js';
import { buildDelivery, postDelivery, seedRelayDatabase, TEST_SECRET } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

describe('rotating a channel secret', () => {
  it('takes effect on the running relay within its admin poll', async () => {
    const seeded = seedRelayDatabase(temp.dir);
    const relay = await startRelay({ database: seeded.file, port: 0, adminPollMs: 50 });
    try {
      expect((await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 1))).status).toBe(200);
      const rotated = 'the-new-channel-secret-0123';
      const db = openRelayDatabase(seeded.file);
      new ChannelStore(db).upsert('acme', rotated, Date.now());
      db.close();
      await expect.poll(async () => (await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 2))).status).toBe(401);
      expect((await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 3), { secret: rotated })).status).toBe(200);
      expect((await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 4), { secret: TEST_SECRET })).status).toBe(401);
    } finally {
      await relay.close();
    }
  });
});
