/**
 * A real relay for the tests of one file or describe block: a SQLite file seeded with one channel
 * in a temporary folder, a relay on 127.0.0.1 port 0 started before the tests and closed (with
 * the folder removed) after them. Call it at the top level of the file or inside `describe`.
 */
import { afterAll, beforeAll } from 'vitest';
import type { RelayOptionsInput } from '../../src/relay/options.js';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { seedRelayDatabase } from './relay.js';
import { makeTempDir } from './temp.js';

export interface RelayPerFile {
  /** The running relay; read it inside tests and hooks, not at the top level (it starts in beforeAll). */
  readonly relay: Relay;
  readonly seeded: ReturnType<typeof seedRelayDatabase>;
}

export function useRelay(options: Omit<Partial<RelayOptionsInput>, 'database' | 'port'> = {}, channel = 'acme'): RelayPerFile {
  const temp = makeTempDir();
  const seeded = seedRelayDatabase(temp.dir, channel);
  let relay: Relay | undefined;
  beforeAll(async () => {
    relay = await startRelay({ ...options, database: seeded.file, port: 0 });
  });
  afterAll(async () => {
    await relay?.close();
    temp.remove();
  });
  return {
    seeded,
    get relay() {
      if (!relay) throw new Error('the relay starts in beforeAll: read it inside a test or hook');
      return relay;
    },
  };
}
