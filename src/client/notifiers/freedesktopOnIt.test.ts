/**
 * "I'm on it" through the freedesktop notifier, on a real private session bus: a notification
 * server of the test's own (dbus-daemon routes, the notifier and the engine are the real ones)
 * records each `Notify` and presses the button the way a server does, with `ActionInvoked`.
 */
import dbus from '@particle/dbus-next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEvent } from '../../../test/support/engineEvents.js';
import { startSessionBus, type SessionBus } from '../../../test/support/sessionBus.js';
import type { NotifierPort } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import { createEngine, type Engine } from '../engine/engine.js';
import { settingsSchema } from '../settings/schema.js';
import { connectFreedesktopNotifier } from './freedesktop.js';

interface NotifyCall {
  readonly replacesId: number;
  readonly summary: string;
  readonly body: string;
  readonly actions: string[];
  /** The `suppress-sound` hint: an update asks the server for no sound. */
  readonly quiet: boolean;
}

class NotificationServer extends dbus.interface.Interface {
  readonly calls: NotifyCall[] = [];
  #nextId = 41;

  GetCapabilities(): string[] {
    return ['actions', 'body', 'body-markup'];
  }

  Notify(_app: string, replacesId: number, _icon: string, summary: string, body: string, actions: string[], hints: Record<string, { value: unknown }>): number {
    this.calls.push({ replacesId, summary, body, actions, quiet: hints['suppress-sound']?.value === true });
    return replacesId === 0 ? ++this.#nextId : replacesId;
  }

  CloseNotification(): void {}

  ActionInvoked(id: number, key: string): [number, string] {
    return [id, key];
  }

  NotificationClosed(id: number, reason: number): [number, number] {
    return [id, reason];
  }
}

NotificationServer.configureMembers({
  methods: {
    GetCapabilities: { outSignature: 'as' },
    Notify: { inSignature: 'susssasa{sv}i', outSignature: 'u' },
    CloseNotification: { inSignature: 'u' },
  },
  signals: {
    ActionInvoked: { signature: 'us' },
    NotificationClosed: { signature: 'uu' },
  },
});

let bus: SessionBus;
let serverBus: dbus.MessageBus;
let server: NotificationServer;
let notifier: NotifierPort;
let engine: Engine;

beforeEach(async () => {
  bus = await startSessionBus();
  serverBus = dbus.sessionBus({ busAddress: bus.address });
  await serverBus.requestName('org.freedesktop.Notifications', 0);
  server = new NotificationServer('org.freedesktop.Notifications');
  serverBus.export('/org/freedesktop/Notifications', server);
  notifier = await connectFreedesktopNotifier({ busAddress: bus.address, logger: silentLogger });
  // No relay: the word stays on this desktop, which is enough to see the button's round trip.
  engine = createEngine({ settings: settingsSchema.parse({}), clock: () => 1_000, notifier, opener: async () => {}, localMinutesOfDay: () => 12 * 60 });
  engine.setConnection({ connected: true, source: 'relay' });
});

afterEach(async () => {
  engine?.close();
  await notifier?.close();
  serverBus?.disconnect();
  await bus?.stop();
});

describe('the freedesktop notifier and "I\'m on it"', () => {
  it('shows the button on a failure, and a press updates the same notification: "You\'re on it", the button now takes it back', async () => {
    engine.handle(buildEvent({ state: 'failed', branch: 'fix/<b>&', title: null, initiator: null }));
    await expect.poll(() => server.calls.length).toBe(1);
    const [first] = server.calls;
    expect(first).toMatchObject({ replacesId: 0, actions: ['default', 'Open build', 'acknowledge', "I'm on it"], quiet: false });

    server.ActionInvoked(42, 'acknowledge');
    await expect.poll(() => server.calls.length).toBe(2);
    // Replaced in place (replaces_id is the first one's id): no second banner.
    expect(server.calls[1]).toEqual({ replacesId: 42, summary: first!.summary, body: "You're on it", actions: ['default', 'Open build', 'withdraw', "I'm not on it any more"], quiet: true });

    server.ActionInvoked(42, 'withdraw');
    await expect.poll(() => server.calls.length).toBe(3);
    expect(server.calls[2]).toMatchObject({ replacesId: 42, body: '', actions: ['default', 'Open build', 'acknowledge', "I'm on it"] });
  });

  it("escapes a teammate's name for a server that reads markup", async () => {
    engine.handle(buildEvent({ state: 'failed', title: null, initiator: null }));
    await expect.poll(() => server.calls.length).toBe(1);
    engine.handleAcknowledgement(
      { provider: 'cirrus', repository: { id: 'acme-web', owner: 'acme', name: 'web', private: false }, buildId: '1', branch: 'main', by: '<b>Ana</b> & co', active: true, at: 900 },
      { own: false },
    );
    await expect.poll(() => server.calls.length).toBe(2);
    expect(server.calls[1]).toMatchObject({ replacesId: 42, body: '&lt;b&gt;Ana&lt;/b&gt; &amp; co is on it' });
  });
});
