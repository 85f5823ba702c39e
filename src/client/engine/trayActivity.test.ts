import { describe, expect, it } from 'vitest';
import { TrayActivity } from './trayActivity.js';

describe('TrayActivity', () => {
  it('keeps the newest 50 events, newest first', () => {
    const activity = new TrayActivity(0);
    for (let at = 1; at <= 60; at++) activity.record({ at, text: `e${at}`, kind: 'build', buildKey: null, url: null });
    expect(activity.events).toHaveLength(50);
    expect(activity.events[0]?.text).toBe('e60');
    expect(activity.events.at(-1)?.text).toBe('e11');
  });

  it('remembers 500 repositories, dropping the one seen longest ago', () => {
    const activity = new TrayActivity(0);
    for (let n = 0; n < 500; n++) activity.noteEventFrom(`acme/r${n}`, n);
    activity.noteEventFrom('acme/r0', 500);
    activity.noteEventFrom('acme/new', 501);
    expect(activity.repositories).toHaveLength(500);
    expect(activity.repositories).not.toContain('acme/r1');
    expect(activity.repositories.slice(-2)).toEqual(['acme/r0', 'acme/new']);
    expect(activity.lastEventAt).toBe(501);
  });

  it('moves the connection\'s "since" only when connectedness or source changes', () => {
    const activity = new TrayActivity(5);
    expect(activity.connection).toEqual({ connected: false, source: 'none', since: 5, reason: 'not connected yet' });
    activity.setConnection(false, 'none', 'reconnecting in 8 s', 10);
    expect(activity.connection).toEqual({ connected: false, source: 'none', since: 5, reason: 'reconnecting in 8 s' });
    activity.setConnection(true, 'demo', 'ignored when connected', 20);
    expect(activity.connection).toEqual({ connected: true, source: 'demo', since: 20, reason: null });
  });
});
