import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TrayModel } from '../core/engine/trayModel.js';
import { TerminalScreen } from '../../test/support/terminalScreen.js';
import { createTerminalView, renderScreen } from './terminalView.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');

function model(overrides: Partial<TrayModel> = {}): TrayModel {
  return {
    state: 'failing',
    headline: '1 branch failing',
    connections: [{ connected: true, source: 'work relay', since: NOW - 60_000, reason: null, lastEventAt: NOW - 125_000 }],
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
      'work relay: connected · last event 2 min ago',
      '',
      '✗ acme/web · main              failed         Speed up the tests (failed: lint, test-arm)',
    ]);
  });

  it('indents why a build failed under it, cleaned again (the model may come from elsewhere)', () => {
    const [build] = model().recentBuilds;
    const failing = model({ recentBuilds: [{ ...build!, failureDetail: ['lint: command “lint” failed', '> \u001b[31m✖ 1 problem\u001b[0m'] }] });
    expect(renderScreen(failing, 'buildbell watch', NOW).slice(4)).toEqual([
      '✗ acme/web · main              failed         Speed up the tests (failed: lint, test-arm)',
      '    lint: command “lint” failed',
      '    > ✖ 1 problem',
    ]);
  });

  it('says who is on a build under it, before why it failed, cleaned again', () => {
    const [build] = model().recentBuilds;
    const owned = model({ recentBuilds: [{ ...build!, onIt: { line: 'Ana\u001b]0;x\u0007 and Ben are on it', names: ['Ana', 'Ben'], mine: false }, failureDetail: ['lint: command “lint” failed'] }] });
    expect(renderScreen(owned, 'buildbell watch', NOW).slice(5)).toEqual(['    ↳ Ana and Ben are on it', '    lint: command “lint” failed']);
  });

  it('says why it is not connected', () => {
    const offline = model({ state: 'offline', connections: [{ connected: false, source: 'relay x', since: NOW, reason: 'the relay is restarting; retrying in 4 s', lastEventAt: null }], recentBuilds: [] });
    expect(renderScreen(offline, 'h', NOW).slice(1)).toEqual(['offline · 1 branch failing', 'relay x: the relay is restarting; retrying in 4 s', '', 'no builds yet']);
  });

  it('gives every source its line, by its name', () => {
    const two = model({
      connections: [
        { connected: true, source: 'work relay', since: NOW, reason: null, lastEventAt: null },
        { connected: false, source: 'personal GitHub', since: NOW, reason: 'GitHub rate limit: paused until 14:05', lastEventAt: null },
      ],
    });
    expect(renderScreen(two, 'h', NOW).slice(2, 4)).toEqual(['work relay: connected · no events yet', 'personal GitHub: GitHub rate limit: paused until 14:05']);
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
      '2026-11-28T12:00:00.000Z work relay: connected',
      '2026-11-28T11:57:55.000Z acme/web · main failed https://cirrus-ci.com/build/1',
      '2026-11-28T12:00:00.000Z acme/web · main fixed',
      '',
    ].join('\n'));
  });

  it('without a TTY prints one line per change of a source\'s connection, naming the source', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const view = createTerminalView(stream, 'h', () => NOW);
    const relay = { connected: true, source: 'work relay', since: NOW, reason: null, lastEventAt: null };
    const github = { connected: true, source: 'personal GitHub', since: NOW, reason: null, lastEventAt: null };
    view.render(model({ recentEvents: [], connections: [relay, github] }));
    // A new event moves "last event", which is no change of connection.
    view.render(model({ recentEvents: [], connections: [{ ...relay, lastEventAt: NOW }, github] }));
    view.render(model({ recentEvents: [], connections: [relay, { ...github, connected: false, reason: 'rate limit' }] }));
    expect(text.trim().split('\n')).toEqual([
      '2026-11-28T12:00:00.000Z work relay: connected',
      '2026-11-28T12:00:00.000Z personal GitHub: connected',
      '2026-11-28T12:00:00.000Z personal GitHub: rate limit',
    ]);
  });

  it('on a TTY keeps notifications and the catch-up summary on screen, above one status block', () => {
    const screen = new TerminalScreen(24, 120);
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    stream.on('data', (chunk: Buffer) => screen.write(chunk.toString()));
    const view = createTerminalView(stream, 'buildbell watch · relay relay.acme.dev', () => NOW);
    view.render(model());
    view.write('12:00:01 info While you were away: 4 builds: 3 failed, 1 fixed\n');
    view.render(model({ headline: '2 branches failing' }));
    view.write('12:00:02 info ✗ acme/web · main failed body="Speed up the tests"\n12:00:02 info second line\n');
    view.render(model({ headline: '3 branches failing' }));

    const history = screen.history();
    expect(history.filter((line) => line.startsWith('buildbell watch'))).toHaveLength(1);
    expect(history).toEqual([
      '12:00:01 info While you were away: 4 builds: 3 failed, 1 fixed',
      '12:00:02 info ✗ acme/web · main failed body="Speed up the tests"',
      '12:00:02 info second line',
      'buildbell watch · relay relay.acme.dev',
      'failing · 3 branches failing',
      'work relay: connected · last event 2 min ago',
      '',
      '✗ acme/web · main              failed         Speed up the tests (failed: lint, test-arm)',
    ]);
    expect(screen.unexpected).toEqual([]);
  });

  it('on a TTY redraws only when what it shows changed', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let writes = 0;
    stream.on('data', () => (writes += 1));
    let now = NOW;
    const view = createTerminalView(stream, 'h', () => now);
    view.render(model());
    view.render(model());
    now += 20_000;
    view.render(model());
    expect(writes).toBe(1);
    // A minute on, "last event 2 min ago" became "3 min ago".
    now += 40_000;
    view.render(model());
    expect(writes).toBe(2);
  });

  it('on a narrow TTY cuts long lines instead of letting them wrap', () => {
    const screen = new TerminalScreen(24, 50);
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 50 });
    stream.on('data', (chunk: Buffer) => screen.write(chunk.toString()));
    const view = createTerminalView(stream, 'h', () => NOW);
    view.render(model());
    view.write('a notification');
    view.render(model({ headline: 'changed' }));
    expect(screen.history()[0]).toBe('a notification');
    expect(screen.history().filter((line) => line === 'h')).toHaveLength(1);
  });
});
