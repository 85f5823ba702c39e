/**
 * "I'm on it" between desktops through real relays (issue #17): two client sessions (the code
 * both shells run) on one relay, a desktop resuming after words it missed, a user with two relays
 * whose word goes to the one that carries the build, and a build no relay carries, whose word
 * stays on this desktop. Teammates are real relay clients (relayClient.ts) with their own tokens.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type BuildRef } from '../../src/core/ports.js';
import type { ClientSession } from '../../src/client/session/session.js';
import { createRelaySource, type RelaySource } from '../../src/client/sources/relay/relayClient.js';
import { streamUrl } from '../../src/client/sources/relay/streamUrl.js';
import type { DemoFeed, DemoStarter } from '../../src/client/sources/demo/source.js';
import type { NormalisedEvent } from '../../src/core/event.js';
import type { AcknowledgementFrame } from '../../src/core/protocol.js';
import { startRelay } from '../../src/relay/server.js';
import { startTestSession } from '../support/clientSession.js';
import { buildEvent } from '../support/engineEvents.js';
import { buildDelivery, postDelivery, seedRelayDatabase, StreamRecorder } from '../support/relay.js';
import { startTcpProxy } from '../support/tcpProxy.js';
import { makeTempDir } from '../support/temp.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A relay with channel `acme`: tokens by label, and failed builds posted to it. */
async function relayCarrying() {
  const temp = makeTempDir();
  cleanups.push(() => temp.remove());
  const seeded = seedRelayDatabase(temp.dir);
  const relay = await startRelay({ database: seeded.file, port: 0 });
  cleanups.push(() => relay.close());
  return {
    url: relay.url,
    token: (label: string) => seeded.issueToken([], 'acme', label).token,
    async post(owner: string, name: string, buildId: number) {
      expect((await postDelivery(relay.url, 'acme', buildDelivery(owner, name, buildId))).status).toBe(200);
    },
  };
}

/** A teammate's desktop, reduced to its relay client. */
async function teammate(url: string, token: string): Promise<RelaySource> {
  let connected = false;
  const client = createRelaySource({
    urls: [streamUrl(url)],
    token,
    cursor: { load: async () => undefined, save: async () => {} },
    logger: silentLogger,
    handlers: { onEvent() {}, onCatchUp() {}, onGap() {}, onConnection: (connection) => (connected = connection.state === 'connected') },
  });
  cleanups.push(() => client.stop());
  await client.start();
  await expect.poll(() => connected).toBe(true);
  return client;
}

const webBuild = (id: string): BuildRef => ({ provider: 'cirrus', repository: { owner: 'acme', name: 'web' }, id, url: `https://cirrus-ci.com/build/${id}` });
const onIt = (session: ClientSession, key: string) => session.engine.trayModel().recentBuilds.find((build) => build.key === key)?.onIt ?? null;
const hasBuild = (session: ClientSession, key: string) => session.engine.trayModel().recentBuilds.some((build) => build.key === key);
const relaySettings = (name: string, url: string, env: string) => ({ kind: 'relay' as const, name, url, tokenEnv: env });
const acknowledgementsOf = (recorder: StreamRecorder) => recorder.frames.filter((frame): frame is AcknowledgementFrame => frame.type === 'acknowledgement');

describe('"I\'m on it" through real relays', () => {
  it("two desktops on one relay: Ana's word shows in Ben's engine and tray within moments, and its withdrawal too", async () => {
    const relay = await relayCarrying();
    const { session: ana } = await startTestSession(cleanups, { sources: [relaySettings('work', relay.url, 'RELAY_TOKEN')] }, { env: { RELAY_TOKEN: relay.token('Ana') } });
    const { session: ben } = await startTestSession(cleanups, { sources: [relaySettings('work', relay.url, 'RELAY_TOKEN')] }, { env: { RELAY_TOKEN: relay.token('Ben') } });
    await expect.poll(() => [ana, ben].every((session) => session.engine.trayModel().connections[0]?.connected)).toBe(true);
    await relay.post('acme', 'web', 7);
    await expect.poll(() => hasBuild(ana, 'cirrus:7') && hasBuild(ben, 'cirrus:7')).toBe(true);

    // Resolves once the relay has stored it and echoed it back.
    await ana.engine.acknowledge('cirrus:7', true);
    expect(onIt(ana, 'cirrus:7')).toMatchObject({ line: "You're on it", mine: true });
    await expect.poll(() => onIt(ben, 'cirrus:7')).toMatchObject({ line: 'Ana is on it', names: ['Ana'], mine: false });
    expect(ben.engine.trayModel().recentEvents[0]?.text).toBe('Ana is on it: acme/web · main');

    await ana.engine.acknowledge('cirrus:7', false);
    await expect.poll(() => onIt(ben, 'cirrus:7')).toBeNull();
    expect(onIt(ana, 'cirrus:7')).toBeNull();
  });

  it('a desktop whose connection dropped is told, when it resumes, the words said meanwhile', async () => {
    const relay = await relayCarrying();
    // Ben's desktop reaches the relay through a proxy the test can cut, as a laptop's network drops.
    const proxy = await startTcpProxy(Number(new URL(relay.url).port));
    cleanups.push(() => proxy.close());
    const { session: ben } = await startTestSession(cleanups, { sources: [relaySettings('work', `http://127.0.0.1:${proxy.port}`, 'RELAY_TOKEN')] }, { env: { RELAY_TOKEN: relay.token('Ben') } });
    await expect.poll(() => ben.engine.trayModel().connections[0]?.connected).toBe(true);
    await relay.post('acme', 'web', 8);
    await expect.poll(() => hasBuild(ben, 'cirrus:8')).toBe(true);

    proxy.refuse();
    proxy.cut();
    await expect.poll(() => ben.engine.trayModel().connections[0]?.connected).toBe(false);
    await (await teammate(relay.url, relay.token('Ana'))).acknowledge(webBuild('8'), true);
    expect(onIt(ben, 'cirrus:8')).toBeNull();

    // Back online: the stream resumes from Ben's cursor, and the word is in the replay.
    proxy.accept();
    await expect.poll(() => onIt(ben, 'cirrus:8')?.line ?? null, { timeout: 15_000 }).toBe('Ana is on it');
  });

  it('with two relays, the word goes to the first in the settings that carries the build', async () => {
    const onlyWeb = await relayCarrying();
    const both = await relayCarrying();
    const watchers = [await StreamRecorder.connect(onlyWeb.url, onlyWeb.token('watcher')), await StreamRecorder.connect(both.url, both.token('watcher'))];
    cleanups.push(() => watchers.forEach((recorder) => recorder.socket.terminate()));
    const { session } = await startTestSession(cleanups, {
      sources: [relaySettings('web relay', onlyWeb.url, 'WEB_TOKEN'), relaySettings('both relay', both.url, 'BOTH_TOKEN')],
    }, { env: { WEB_TOKEN: onlyWeb.token('Ana'), BOTH_TOKEN: both.token('Ana') } });
    await expect.poll(() => session.engine.trayModel().connections.every((connection) => connection.connected)).toBe(true);
    await onlyWeb.post('acme', 'web', 1);
    await both.post('acme', 'web', 1);
    await both.post('acme', 'api', 2);
    await expect.poll(() => hasBuild(session, 'cirrus:1') && hasBuild(session, 'cirrus:2')).toBe(true);

    await session.engine.acknowledge('cirrus:1', true);
    await session.engine.acknowledge('cirrus:2', true);
    await watchers[1]!.waitFor(() => acknowledgementsOf(watchers[1]!).length >= 1);
    expect(acknowledgementsOf(watchers[0]!).map((frame) => frame.acknowledgement.buildId)).toEqual(['1']);
    expect(acknowledgementsOf(watchers[1]!).map((frame) => frame.acknowledgement.buildId)).toEqual(['2']);
  });

  it('a build no relay carries: the word stays on this desktop, and no relay hears of it', async () => {
    const relay = await relayCarrying();
    const watcher = await StreamRecorder.connect(relay.url, relay.token('watcher'));
    cleanups.push(() => watcher.socket.terminate());
    const polled = drivenDemo();
    const { session } = await startTestSession(cleanups, {
      sources: [relaySettings('work', relay.url, 'RELAY_TOKEN'), { kind: 'demo', name: 'polling' }],
    }, { env: { RELAY_TOKEN: relay.token('Ana') }, demo: polled.demo });
    await expect.poll(() => session.engine.trayModel().connections.every((connection) => connection.connected)).toBe(true);
    polled.emit(buildEvent({ buildId: '5', state: 'failed', owner: 'elsewhere', at: Date.now() }));

    await session.engine.acknowledge('cirrus:5', true);
    expect(onIt(session, 'cirrus:5')).toMatchObject({ line: "You're on it", mine: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(acknowledgementsOf(watcher)).toEqual([]);
  });
});

/** A demo starter whose one feed the test drives: a polled source, as far as the session knows. */
function drivenDemo() {
  const listeners = new Set<(event: NormalisedEvent) => void>();
  const demo: DemoStarter = async ({ provider }) => {
    const feed: DemoFeed = {
      provider,
      apiUrl: 'http://127.0.0.1:9/',
      writeToken: 'unused',
      onEvent: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
      stop: async () => {},
    };
    return feed;
  };
  return { demo, emit: (event: NormalisedEvent) => listeners.forEach((listener) => listener(event)) };
}
