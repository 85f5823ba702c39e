import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TrayModel } from '../core/engine/tray-model.js';
import { createTerminalView, renderScreen } from './terminalView.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');

function model(overrides: Partial<TrayModel> = {}): TrayModel {
  return {
    state: 'failing',
    headline: '1 branch failing',
    connection: { connected: true, source: 'relay relay.acme.dev', since: NOW - 60_000, reason: null, lastEventAt: NOW - 125_000 },
    pausedUntil: null,
    quietHours: false,
    recentEvents: [{ at: NOW - 125_000, text: 'acme/web · main failed', kind: 'build', buildKey: 'cirrus:1', url: 'https://cirrus-ci.com/build/1' }],
    recentBuilds: [{
      key: 'cirrus:1', provider: 'cirrus', id: '1', repository: 'acme/web', branch: 'main', title: 'Speed up the tests',
      state: 'failed', url: 'https://cirrus-ci.com/build/1', failedTaskUrl: null, failedTasks: ['lint', 'test-arm'],
      approvable: false, rerunnable: true, updatedAt: NOW - 125_000,
    }],
    repositories: [{ slug: 'acme/web', muted: false, mutedBy: null }],
    ...overrides,
  };
}

describe('renderScreen', () => {
  it('shows the state, the connection with the last event, and the builds', () => {
    expect(renderScreen(model(), 'buildbell watch', NOW)).toEqual([
      'buildbell watch',
      'failing · 1 branch failing',
      'connected to relay relay.acme.dev · last event 2 min ago',
      '',
      '✗ acme/web · main              failed         Speed up the tests (failed: lint, test-arm)',
    ]);
  });

  it('says why it is not connected', () => {
    const offline = model({ state: 'offline', connection: { connected: false, source: 'relay x', since: NOW, reason: 'the relay is restarting; retrying in 4 s', lastEventAt: null }, recentBuilds: [] });
    expect(renderScreen(offline, 'h', NOW).slice(1)).toEqual(['offline · 1 branch failing', 'not connected to relay x: the relay is restarting; retrying in 4 s', '', 'no builds yet']);
  });
});

describe('createTerminalView', () => {
  it('without a TTY prints each new event and connection change once, no redraws, no escape codes', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const view = createTerminalView(stream, 'h', () => NOW);
    view.render(model());
    view.render(model());
    const later = { at: NOW, text: 'acme/web · main fixed', kind: 'build' as const, buildKey: 'cirrus:2', url: null };
    view.render(model({ recentEvents: [later, ...model().recentEvents] }));
    expect(text).toBe([
      '2026-11-28T12:00:00.000Z connected to relay relay.acme.dev',
      '2026-11-28T11:57:55.000Z acme/web · main failed https://cirrus-ci.com/build/1',
      '2026-11-28T12:00:00.000Z acme/web · main fixed',
      '',
    ].join('\n'));
  });

  it('on a TTY redraws in place', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const view = createTerminalView(stream, 'h', () => NOW);
    view.render(model());
    view.render(model());
    // The second drawing moves up over the five lines of the first and clears below.
    expect(text.split('\x1b[5F\x1b[0J')).toHaveLength(2);
  });
});
