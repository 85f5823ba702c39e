import { describe, expect, it } from 'vitest';
import { TrayActivity } from './trayActivity.js';

describe('TrayActivity', () => {
  it('keeps the newest 50 events, newest first', () => {
    const activity = new TrayActivity();
    for (let at = 1; at <= 60; at++) activity.record({ at, text: `e${at}`, kind: 'build', buildKey: null, url: null });
    expect(activity.events).toHaveLength(50);
    expect(activity.events[0]?.text).toBe('e60');
    expect(activity.events.at(-1)?.text).toBe('e11');
  });

  it('remembers 500 repositories, dropping the one seen longest ago', () => {
    const activity = new TrayActivity();
    activity.setConnection(true, 'work relay', null, 0);
    for (let n = 0; n < 500; n++) activity.noteEventFrom(`acme/r${n}`, n, 'work relay');
    activity.noteEventFrom('acme/r0', 500, 'work relay');
    activity.noteEventFrom('acme/new', 501, 'work relay');
    expect(activity.repositories).toHaveLength(500);
    expect(activity.repositories).not.toContain('acme/r1');
    expect(activity.repositories.slice(-2)).toEqual(['acme/r0', 'acme/new']);
    expect(activity.connections[0]?.lastEventAt).toBe(501);
  });

  it('keeps one connection per source, moving its "since" only when its connectedness changes', () => {
    const activity = new TrayActivity();
    expect(activity.connections).toEqual([]);
    activity.setConnection(false, 'work relay', 'connecting', 5);
    activity.setConnection(true, 'personal GitHub', null, 6);
    activity.setConnection(false, 'work relay', 'reconnecting in 8 s', 10);
    expect(activity.connections).toEqual([
      { connected: false, source: 'work relay', since: 5, reason: 'reconnecting in 8 s', lastEventAt: null },
      { connected: true, source: 'personal GitHub', since: 6, reason: null, lastEventAt: null },
    ]);
    activity.setConnection(true, 'work relay', 'ignored when connected', 20);
    activity.noteEventFrom('acme/web', 25, 'personal GitHub');
    expect(activity.connections).toEqual([
      { connected: true, source: 'work relay', since: 20, reason: null, lastEventAt: null },
      { connected: true, source: 'personal GitHub', since: 6, reason: null, lastEventAt: 25 },
    ]);
    activity.forgetConnection('work relay');
    expect(activity.connections.map((connection) => connection.source)).toEqual(['personal GitHub']);
  });
});
