/**
 * Faults on the client's side of the stream (issue #5): the socket cut, the relay frozen with
 * SIGSTOP past the heartbeat, the desktop restarted in the middle of a replay. The real relay
 * process, the real relay client with its cursor file, and the real engine with the recording
 * notifier: every acknowledged delivery reaches the desktop exactly once, in seq order, and a
 * replay shows one catch-up summary, not a notification per event.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.js';
import { createEngine, type Engine } from '../../src/client/engine/engine.js';
import { settingsSchema } from '../../src/client/settings/schema.js';
import { createCursorFile } from '../../src/client/sources/relay/cursorFile.js';
import { createRelaySource, type RelaySource } from '../../src/client/sources/relay/relayClient.js';
import { RecordingNotifier } from '../support/fakeNotifier.js';
import { killStartedProcesses } from '../support/processes.js';
import { buildDelivery, postDelivery, seedRelayDatabase } from '../support/relay.js';
import { startTcpProxy } from '../support/tcpProxy.js';
import { makeTempDir } from '../support/temp.js';
import { DeliveryLedger } from './deliveryLedger.js';
import { startRelayOnPort } from './relayProcess.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await killStartedProcesses();
});

const engineClose = (engine: Engine) => engine.close();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(done: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('the desktop through client-side faults', () => {
  it('gets every acknowledged delivery once, in order, through a cut, a frozen relay and a restart mid-replay', async () => {
    const temp = makeTempDir('buildbell-client-faults-');
    cleanups.push(() => temp.remove());
    const seeded = seedRelayDatabase(temp.dir, 'acme');
    const { token } = seeded.issueToken();
    const relay = await startRelayOnPort(seeded.file, ['--heartbeat', '300ms', '--rate-limits', 'off']);
    const proxy = await startTcpProxy(relay.port);
    cleanups.push(() => proxy.close());
    const url = `ws://127.0.0.1:${proxy.port}/stream`;
    const cursorFile = path.join(temp.dir, 'cursor.json');
    const ledger = new DeliveryLedger();
    const desktop = ledger.addClient();

    /** One run of the desktop app: its own engine and notifier, the shared cursor file. */
    const launch = async (quitAfterEvents?: number) => {
      let quitting: Promise<void> | undefined;
      const notifier = new RecordingNotifier();
      const engine: Engine = createEngine({ settings: settingsSchema.parse({}), clock: Date.now, notifier, opener: async () => undefined, logger: silentLogger });
      let connected = false;
      const source: RelaySource = createRelaySource({
        urls: [url], token, logger: silentLogger,
        cursor: createCursorFile(cursorFile, url, silentLogger),
        backoff: { initialMs: 50, maxMs: 300 },
        silenceTimeoutMs: 1000,
        pingIntervalMs: 300,
        handlers: {
          onEvent: (event, meta) => {
            desktop.seqs.push(meta.seq);
            desktop.buildIds.push(event.build.id);
            engine.handle(event, { catchUp: meta.catchUp });
            // Quit from inside the replay, as a user closing the app mid-catch-up would.
            if (quitAfterEvents !== undefined && desktop.seqs.length === quitAfterEvents) quitting = source.stop();
          },
          onCatchUp: (active) => (active ? engine.beginCatchUp() : engine.endCatchUp()),
          onGap: () => undefined,
          onConnection: (connection) => (connected = connection.state === 'connected'),
        },
      });
      await source.start();
      await until(() => connected, 'the desktop to connect');
      return { notifier, engine, source, quitting: () => quitting, stop: async () => { await source.stop(); engine.close(); } };
    };

    let nextId = 1;
    const post = async (count: number) => {
      for (let i = 0; i < count; i += 1, nextId += 1) {
        ledger.attempted.add(String(nextId));
        const answer = await postDelivery(relay.url, 'acme', buildDelivery('acme', `repo${nextId % 5}`, nextId));
        if (answer.status === 200) ledger.acknowledged.add(String(nextId));
      }
    };

    let app = await launch();
    await post(100);
    await until(() => ledger.complete(), 'the first 100 live events');

    // The network cuts every connection mid-stream.
    const cutting = post(100);
    await sleep(50);
    proxy.cut();
    await cutting;
    await until(() => ledger.complete(), 'the events around the cut');

    // The relay freezes (a stalled VM) for longer than the heartbeat and the client's watchdog.
    relay.current().child.kill('SIGSTOP');
    await sleep(2500);
    relay.current().child.kill('SIGCONT');
    await post(100);
    await until(() => ledger.complete(), 'the events after the freeze');
    await app.stop();

    // While the desktop is closed, a backlog builds up; it restarts, and quits mid-replay.
    await post(1500);
    const before = desktop.seqs.length;
    app = await launch(before + 300);
    await until(() => app.quitting() !== undefined, 'part of the replay');
    await app.quitting();
    engineClose(app.engine);
    expect(desktop.seqs.length).toBeLessThan(ledger.acknowledged.size);

    // The next start resumes from the cursor file and replays the rest as one catch-up.
    app = await launch();
    await until(() => ledger.complete(), 'the rest of the replay');
    await sleep(300);
    const replayShown = app.notifier.shown.length;
    await app.stop();

    const figures = ledger.figures();
    expect(figures.acknowledged).toBe(1800);
    expect({ lost: figures.lost, duplicates: figures.duplicates, invented: figures.invented, outOfOrder: figures.outOfOrder })
      .toEqual({ lost: 0, duplicates: 0, invented: 0, outOfOrder: 0 });
    // Over a thousand failed builds replayed: one summary notification, not a flood.
    expect(replayShown).toBe(1);
  }, 120_000);
});
