/**
 * The relay's database file (findings 2 and 9 of the security review): private from its first
 * byte whatever the umask, narrowed when it already existed, and a relay whose file is deleted or
 * replaced stops acknowledging instead of writing into a file nobody will read again.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRelayDatabase } from '../../src/relay/database.js';
import { startRelayOnPort } from '../reliability/relayProcess.js';
import { BUILDBELL } from '../support/processes.js';
import { buildDelivery, postDelivery, seedRelayDatabase } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

const modeOf = (file: string) => statSync(file).mode & 0o777;

/** Runs `buildbell admin channel add` under `umask 000`, as a careless service manager would. */
function addChannelUnderUmask000(file: string): void {
  const result = spawnSync('sh', ['-c', `umask 000 && exec "$0" "$@"`, process.execPath, BUILDBELL, 'admin', 'channel', 'add', 'acme', '--secret', 'a-channel-secret-for-tests', '--db', file], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
}

describe('the database file mode', () => {
  it('is 0600 for a new file and its WAL and shared-memory files, even under umask 000', () => {
    const file = path.join(temp.dir, 'new.db');
    addChannelUnderUmask000(file);
    for (const each of [file, `${file}-wal`, `${file}-shm`]) {
      try {
        expect(modeOf(each), each).toBe(0o600);
      } catch (error) {
        // The WAL and shared-memory files are removed when the last connection closes cleanly.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  });

  it('narrows a file that already existed readable by others', () => {
    const file = path.join(temp.dir, 'touched.db');
    writeFileSync(file, '', { mode: 0o644 });
    addChannelUnderUmask000(file);
    expect(modeOf(file)).toBe(0o600);
  });

  it('is 0600 when the library opens a new file in-process', () => {
    const file = path.join(temp.dir, 'library.db');
    openRelayDatabase(file).close();
    expect(modeOf(file)).toBe(0o600);
  });
});

describe('a database file deleted or replaced under a running relay', () => {
  it.each([
    ['deleted', (file: string) => rmSync(file)],
    ['replaced', (file: string) => {
      const other = `${file}.other`;
      openRelayDatabase(other).close();
      renameSync(other, file);
    }],
  ])('when %s: answers 503 instead of "stored", and the relay exits 1 saying why', async (how, change) => {
    const dir = path.join(temp.dir, `lost-${how}`);
    mkdirSync(dir);
    const seeded = seedRelayDatabase(dir);
    const relay = await startRelayOnPort(seeded.file);
    try {
      expect((await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 1))).status).toBe(200);
      change(seeded.file);
      const answer = await postDelivery(relay.url, 'acme', buildDelivery('acme', 'web', 2)).catch(() => ({ status: 0 }));
      // 503 when the commit noticed, 0 when the maintenance tick got there first and closed the relay.
      expect([503, 0]).toContain(answer.status);
      const exit = await relay.current().exited();
      expect(exit.code).toBe(1);
      expect(relay.current().stderr()).toMatch(/database file .* was (deleted|replaced)/);
    } finally {
      relay.current().child.kill('SIGKILL');
    }
  });
});
