/**
 * Disk trouble mid-run (issue #5): the relay's filesystem fills up. The sender gets 503 with
 * Retry-After (so Cirrus retries), nothing half-written is stored, the relay recovers by itself
 * when space is back, and the log passes integrity_check. (A read-only remount is refused while
 * the relay holds the file open for writing, so "full" is the unwritable disk tested here.)
 *
 * A real full disk needs a filesystem of its own: a small tmpfs, which only root can mount (CI
 * runs as root). chmod cannot stand in: root ignores file modes, and the relay's open file
 * handle keeps writing whatever the mode says. Elsewhere (a user's laptop) the test is skipped
 * with that reason, like the real-desktop tests, and BUILDBELL_REQUIRE_DESKTOP=1 (set by .ci/run)
 * makes the missing privilege a failure instead.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { postDelivery, seedRelayDatabase, StreamRecorder } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir('buildbell-disk-');
const mountPoint = path.join(temp.dir, 'disk');
const asRoot = process.platform === 'linux' && process.getuid?.() === 0;
const NEEDS_ROOT = 'mounting the 12 MiB tmpfs this test fills needs root on Linux (CI runs as root)';
if (!asRoot && process.env['BUILDBELL_REQUIRE_DESKTOP'] === '1') throw new Error(`BUILDBELL_REQUIRE_DESKTOP=1 and the full-disk test cannot run: ${NEEDS_ROOT}`);
const skipNote = asRoot ? '' : ` [skipped: ${NEEDS_ROOT}]`;

beforeAll(() => {
  if (!asRoot) return;
  mkdirSync(mountPoint);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mountPoint]);
});
afterAll(() => {
  try {
    if (asRoot) execFileSync('umount', [mountPoint]);
  } finally {
    temp.remove();
  }
});

/** A build delivery carrying `padding` bytes in an unknown field, so each one needs real space. */
function bigDelivery(id: number, padding: number): string {
  return JSON.stringify({
    action: 'updated',
    repository: { id: 1, owner: 'acme', name: 'web', isPrivate: false },
    build: { id, branch: 'main', status: 'FAILED' },
    task: {},
    padding: 'x'.repeat(padding),
  });
}

/** Writes until the filesystem says it is full; returns the file to delete to free it. */
function fillDisk(): string {
  const filler = path.join(mountPoint, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let i = 0; i < 10_000; i += 1) writeSync(fd, chunk);
    throw new Error('the disk never filled up');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return filler;
}

describe('the relay on a failing disk', () => {
  let relay: Relay;
  const acknowledged = new Set<number>();

  async function post(id: number, padding = 200_000) {
    const answer = await postDelivery(relay.url, 'acme', bigDelivery(id, padding));
    if (answer.status === 200) acknowledged.add(id);
    return answer;
  }

  it.skipIf(!asRoot)(`answers 503 with Retry-After while the disk is full, and recovers when it is back${skipNote}`, async () => {
    const seeded = seedRelayDatabase(mountPoint, 'acme');
    const { token } = seeded.issueToken();
    relay = await startRelay({ database: seeded.file, port: 0 });
    try {
      for (let id = 1; id <= 5; id += 1) expect((await post(id)).status).toBe(200);

      // Full: keep sending until a write needs space the disk no longer has.
      const filler = fillDisk();
      const refused: number[] = [];
      for (let id = 100; id < 140 && refused.length < 3; id += 1) {
        const answer = await post(id);
        expect([200, 503]).toContain(answer.status);
        if (answer.status === 503) {
          expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
          refused.push(id);
        }
      }
      expect(refused.length).toBeGreaterThan(0);
      rmSync(filler);
      // The disk is back: the sender's retries get through, and so does new traffic.
      for (const id of refused) expect((await post(id)).status).toBe(200);
      for (let id = 200; id < 205; id += 1) expect((await post(id)).status).toBe(200);

      // Everything acknowledged reaches a client once; nothing refused was half-stored.
      const client = await StreamRecorder.connect(relay.url, token, 0);
      await client.waitFor((frames) => frames.some((frame) => frame.type === 'live'));
      const ids = client.events.map((frame) => Number(frame.event.build.id));
      client.close();
      expect(ids).toEqual([...acknowledged]);
    } finally {
      await relay.close();
    }
    const db = new Database(path.join(mountPoint, 'relay.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(acknowledged.size);
    db.close();
  }, 60_000);
});
