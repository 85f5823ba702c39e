/**
 * The relay as a real process, killed with SIGKILL mid-traffic and restarted: every delivery that
 * got a 2xx reaches the resuming client exactly once, in order; nothing unacknowledged is invented.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killStartedProcesses, runBuildbell, startRelayProcess } from '../support/processes.js';
import { buildDelivery, postDelivery, seedRelayDatabase, StreamRecorder } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';

const temp = makeTempDir();
afterEach(async () => {
  await killStartedProcesses();
});

describe('the relay process', () => {
  it('loses nothing acknowledged across kill -9 and restart, and a client resumes exactly', async () => {
    const seeded = seedRelayDatabase(temp.dir);
    const { token } = seeded.issueToken();
    let relay = await startRelayProcess(seeded.file);
    let client = await StreamRecorder.connect(relay.url, token, 0);
    const received: Array<{ seq: number; buildId: string }> = [];
    const acknowledged = new Set<string>();
    const attempted = new Set<string>();

    // Posts until the relay dies under it; returns when a request fails.
    const postUntilDown = async (url: string, from: number) => {
      for (let id = from; ; id += 1) {
        attempted.add(String(id));
        try {
          const answer = await postDelivery(url, 'acme', buildDelivery('acme', 'web', id));
          if (answer.status === 200) acknowledged.add(String(id));
        } catch {
          return id;
        }
      }
    };

    let nextId = 1;
    for (let round = 0; round < 3; round += 1) {
      const posting = postUntilDown(relay.url, nextId);
      await new Promise((resolve) => setTimeout(resolve, 150 + round * 50));
      relay.child.kill('SIGKILL');
      nextId = await posting;
      await relay.exited();
      await client.waitForClose().catch(() => undefined);
      received.push(...client.events.map((frame) => ({ seq: frame.seq, buildId: frame.event.build.id })));
      const last = received.at(-1)?.seq ?? 0;

      relay = await startRelayProcess(seeded.file);
      client = await StreamRecorder.connect(relay.url, token, last);
    }
    // Everything acknowledged must now be in the log: wait for the resumed client to catch up.
    await client.waitFor(() => received.length + client.events.length >= acknowledged.size);
    await new Promise((resolve) => setTimeout(resolve, 200));
    received.push(...client.events.map((frame) => ({ seq: frame.seq, buildId: frame.event.build.id })));
    client.close();

    const seqs = received.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const ids = new Set(received.map((entry) => entry.buildId));
    expect(ids.size).toBe(received.length);
    for (const id of acknowledged) expect(ids.has(id)).toBe(true);
    for (const id of ids) expect(attempted.has(id)).toBe(true);
    expect(acknowledged.size).toBeGreaterThan(20);
  }, 60_000);

  it('shuts down gracefully on SIGTERM: answers in flight, closes streams with 1001, exits 0', async () => {
    const seeded = seedRelayDatabase(temp.dir, 'graceful');
    const { token } = seeded.issueToken([], 'graceful');
    const relay = await startRelayProcess(seeded.file);
    const client = await StreamRecorder.connect(relay.url, token);
    relay.child.kill('SIGTERM');
    expect(await client.waitForClose()).toBe(1001);
    expect(await relay.exited()).toEqual({ code: 0, signal: null });
    expect(relay.stderr()).toContain('shutting down');
  });

  it('says what is wrong with a bad flag, with exit code 2', async () => {
    const command = runBuildbell(['relay', '--db', `${temp.dir}/x.db`, '--retention', 'forever']);
    expect((await command.exited()).code).toBe(2);
    expect(command.stderr()).toContain('--retention takes a duration like 7d');
  });
});
