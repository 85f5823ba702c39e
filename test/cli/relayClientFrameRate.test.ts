/**
 * `buildbell relay --client-frame-rate`: the budget of frames a stream's client may send, set on
 * the command line and kept with `--rate-limits off` (it bounds what one client adds to the log).
 * A real relay process and a real stream client: with a burst of 1, the second frame sent at once
 * is dropped with rate_limited; with the default burst of 10 it is answered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { seedRelayDatabase, StreamRecorder } from '../support/relay.js';
import { makeTempDir } from '../support/temp.js';
import { startRelayOnPort, type RelayProcess } from '../reliability/relayProcess.js';
import { errorFor, errorsOf, issueLabelled, sendAcknowledge, waitLive } from '../relay/acknowledging.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function clientOf(extraArgs: string[]): Promise<StreamRecorder> {
  const temp = makeTempDir();
  cleanups.push(() => temp.remove());
  const seeded = seedRelayDatabase(temp.dir);
  const relay: RelayProcess = await startRelayOnPort(seeded.file, extraArgs);
  cleanups.push(() => relay.stop());
  const client = await StreamRecorder.connect(relay.url, issueLabelled(seeded.file, 'Ana'));
  cleanups.push(() => client.close());
  await waitLive(client);
  return client;
}

describe('buildbell relay --client-frame-rate', () => {
  it('drops a client\'s frames over the rate it sets, with --rate-limits off', async () => {
    const client = await clientOf(['--rate-limits', 'off', '--client-frame-rate', '0.01/1']);
    const first = sendAcknowledge(client, 'acme/web', 404);
    sendAcknowledge(client, 'acme/web', 405);
    expect((await errorFor(client, first)).code).toBe('unknown_build');
    await client.waitFor(() => errorsOf(client).some((frame) => frame.code === 'rate_limited'));
    // The drop is answered at once and the first frame after a read of the log, so the two answers
    // may come in either order; the drop's names no frame (it covers every frame dropped that second).
    expect(errorsOf(client).map((frame) => frame.code).sort()).toEqual(['rate_limited', 'unknown_build']);
  });

  it('answers both by default (a burst of 10)', async () => {
    const client = await clientOf(['--rate-limits', 'off']);
    const refs = [sendAcknowledge(client, 'acme/web', 404), sendAcknowledge(client, 'acme/web', 405)];
    for (const ref of refs) expect((await errorFor(client, ref)).code).toBe('unknown_build');
    expect(errorsOf(client).map((frame) => frame.code)).toEqual(['unknown_build', 'unknown_build']);
  });
});
