import { describe, expect, it } from 'vitest';
import { buildEvent, detail, type EventSpec } from '../../../test/support/engineEvents.js';
import { BuildTracker } from '../../core/engine/buildTracker.js';
import { buildTrayModel, type TrayInput, type TrayModel } from '../../core/engine/trayModel.js';
import { ago } from '../../core/engine/trayText.js';
import { buildLabel, nextMorning, trayMenu, trayTooltip, type MenuEntry } from './trayMenu.js';

const NOW = 1_700_000_000_000;
const options = { now: NOW, formatTime: (at: number) => `T${at}`, tomorrowMorning: NOW + 999 };
const connected = { connected: true, source: 'work relay', since: NOW - 10_000, reason: null, lastEventAt: NOW - 120_000 };

function model(events: EventSpec[], overrides: Partial<TrayInput> = {}): TrayModel {
  const tracker = new BuildTracker();
  for (const spec of events) tracker.apply(buildEvent(spec));
  return buildTrayModel({
    builds: tracker.builds(),
    branchOutcomes: tracker.branchOutcomes(),
    events: [],
    repositories: tracker.builds().map((build) => build.slug),
    visibility: { mutedRepositories: [], branchPatterns: [], onlyMine: { enabled: false, usernames: [] } },
    connections: [connected],
    pausedUntil: null,
    quietHours: false,
    canAct: () => true,
    ...overrides,
  });
}

const labels = (entries: readonly MenuEntry[]) => entries.map((entry) => (entry.type === 'separator' ? '---' : entry.label));
const find = (entries: readonly MenuEntry[], label: string) => entries.find((entry) => entry.type !== 'separator' && entry.label === label);

describe('trayMenu', () => {
  it('offers to re-run in each CI\'s words', () => {
    const entries = trayMenu(model([{ buildId: '3', state: 'failed', at: 1, provider: 'github', task: { id: 'j1', name: 'lint', state: 'failed' } }]), options);
    expect(labels(entries)).toContain('Re-run failed jobs: acme/web · main');
  });

  it('says under a failed build why it failed: the task and step, and the last log line, cleaned', () => {
    const logTail = ['first', '\u001b[31mTests: 1 failed\u001b[0m, 83 passed'];
    const entries = trayMenu(model([{ buildId: '3', state: 'failed', at: 1, provider: 'github', task: { id: 'j1', name: 'test', state: 'failed', detail: detail({ step: 'Run npm test', logTail }) } }]), options);
    const all = labels(entries);
    const at = all.indexOf('✗ acme/web · main failed — Fix the login page');
    expect(all.slice(at + 1, at + 3)).toEqual(['↳ test: step “Run npm test” failed', '↳ > Tests: 1 failed, 83 passed']);
    expect(entries[at + 1]).toMatchObject({ type: 'label' });
  });

  it('cleans what it shows of a repository, and mutes it by the slug events really carry', () => {
    const entries = trayMenu(model([{ buildId: '1', state: 'failed', owner: 'acme\u0000', repo: 'web\u202e', at: 1 }]), options);
    const submenu = entries.find((entry) => entry.type === 'submenu');
    if (submenu?.type !== 'submenu') throw new Error('no repositories submenu');
    expect(submenu.items[0]).toMatchObject({ label: 'acme /web', command: { kind: 'mute', pattern: 'acme\u0000/web\u202e' } });
    expect(labels(entries)).toContain('✗ acme /web · main failed — Fix the login page');
  });

  it('lays out state, connection, builds, approvals, re-runs, mutes, pause, settings and quit', () => {
    const entries = trayMenu(
      model([
        { buildId: '1', state: 'failed', at: 1, title: 'Fix the parser', task: { id: 't1', name: 'lint', state: 'failed' } },
        { buildId: '2', state: 'needs_approval', at: 2, branch: 'pull/7', title: 'Add docs' },
      ]),
      options,
    );
    expect(labels(entries)).toEqual([
      '1 branch failing',
      'work relay: connected · last event 2 min ago',
      '---',
      'Recent builds',
      '? acme/web · pull/7 needs approval — Add docs',
      '✗ acme/web · main failed — Fix the parser',
      '---',
      'Waiting for approval',
      'Approve acme/web · pull/7',
      '---',
      'Failed',
      'Re-run failed tasks: acme/web · main',
      "I'm on it: acme/web · main",
      '---',
      'Mute repositories',
      'Pause notifications for 1 hour',
      'Pause notifications until tomorrow',
      '---',
      'Settings…',
      'Quit buildbell',
    ]);
  });

  it('says under a build who is on it, and offers "I\'m on it" on a failure, also without a token', () => {
    const people = { 'cirrus:1': [{ name: 'Ana', own: false, at: 1 }, { name: 'Ben', own: false, at: 2 }] };
    const entries = trayMenu(
      model([{ buildId: '1', state: 'failed', title: null }, { buildId: '2', state: 'errored', repo: 'api', title: null }, { buildId: '3', state: 'passed', repo: 'ops', title: null }], {
        canAct: () => false,
        onIt: (key) => people[key as keyof typeof people] ?? [],
      }),
      options,
    );
    const all = labels(entries);
    expect(all.slice(all.indexOf('✗ acme/web · main failed'), all.indexOf('✗ acme/web · main failed') + 2)).toEqual(['✗ acme/web · main failed', '↳ Ana and Ben are on it']);
    expect(all.slice(all.indexOf('Failed') + 1, all.indexOf('Failed') + 3)).toEqual(["I'm on it: acme/web · main", "I'm on it: acme/api · main"]);
    expect(find(entries, "I'm on it: acme/web · main")).toMatchObject({ command: { kind: 'acknowledge', buildKey: 'cirrus:1' } });
    expect(all.some((label) => label.includes('acme/ops') && label.startsWith("I'm"))).toBe(false);
  });

  it('offers "I\'m not on it any more" once the user is on it', () => {
    const entries = trayMenu(model([{ buildId: '1', state: 'failed', title: null }], { onIt: () => [{ name: 'me', own: true, at: 1 }] }), options);
    expect(labels(entries)).toContain('↳ You\'re on it');
    expect(labels(entries)).not.toContain("I'm on it: acme/web · main");
    expect(find(entries, "I'm not on it any more: acme/web · main")).toMatchObject({ command: { kind: 'withdraw', buildKey: 'cirrus:1' } });
  });

  it('tells apart two failed builds of one branch by their ids', () => {
    const entries = trayMenu(model([{ buildId: '1', state: 'failed' }, { buildId: '2', state: 'failed' }]), options);
    expect(labels(entries).filter((label) => label.startsWith('Re-run'))).toEqual(['Re-run failed tasks: acme/web · main (1)', 'Re-run failed tasks: acme/web · main (2)']);
  });

  it('gives each item the command it stands for', () => {
    const entries = trayMenu(model([{ buildId: '2', state: 'needs_approval', branch: 'pull/7', title: null }]), options);
    expect(find(entries, '? acme/web · pull/7 needs approval')).toMatchObject({ command: { kind: 'open', buildKey: 'cirrus:2' } });
    expect(find(entries, 'Approve acme/web · pull/7')).toMatchObject({ command: { kind: 'approve', buildKey: 'cirrus:2' } });
    expect(find(entries, 'Pause notifications for 1 hour')).toMatchObject({ command: { kind: 'pause', until: NOW + 3_600_000 } });
    expect(find(entries, 'Pause notifications until tomorrow')).toMatchObject({ command: { kind: 'pause', until: NOW + 999 } });
    expect(find(entries, 'Settings…')).toMatchObject({ command: { kind: 'settings' } });
    expect(find(entries, 'Quit buildbell')).toMatchObject({ command: { kind: 'quit' } });
  });

  it('offers to open the page instead of Approve and no re-run when no write token is configured', () => {
    const entries = trayMenu(model([{ buildId: '2', state: 'needs_approval', branch: 'pull/7' }, { buildId: '3', state: 'failed' }], { canAct: () => false }), options);
    expect(find(entries, 'Open acme/web · pull/7 to approve it')).toMatchObject({ command: { kind: 'open', buildKey: 'cirrus:2' } });
    expect(labels(entries).some((label) => label.startsWith('Re-run'))).toBe(false);
  });

  it('has a mute checkbox per repository, unmuting by the pattern that muted it', () => {
    const visibility = { mutedRepositories: ['acme/a*'], branchPatterns: [], onlyMine: { enabled: false, usernames: [] } };
    const entries = trayMenu(model([{ buildId: '1', state: 'passed', repo: 'api' }, { buildId: '2', state: 'passed', repo: 'web' }], { visibility }), options);
    const submenu = find(entries, 'Mute repositories');
    expect(submenu).toEqual({
      type: 'submenu',
      label: 'Mute repositories',
      items: [
        { type: 'checkbox', label: 'acme/api (muted by acme/a*)', checked: true, command: { kind: 'unmute', pattern: 'acme/a*' } },
        { type: 'checkbox', label: 'acme/web', checked: false, command: { kind: 'mute', pattern: 'acme/web' } },
      ],
    });
  });

  it('says until when notifications are paused and offers to resume', () => {
    const entries = trayMenu(model([], { pausedUntil: NOW + 60_000 }), options);
    expect(labels(entries)).toContain(`Notifications paused until T${NOW + 60_000}`);
    expect(find(entries, 'Resume notifications')).toMatchObject({ command: { kind: 'resume' } });
    expect(labels(entries)).not.toContain('Pause notifications for 1 hour');
  });

  it('offers no Settings… where the shell has no settings window (watch --tray)', () => {
    const entries = trayMenu(model([]), { ...options, settingsWindow: false });
    expect(labels(entries).slice(-2)).toEqual(['---', 'Quit buildbell']);
  });

  it('says there are no builds or repositories yet', () => {
    const entries = trayMenu(model([]), options);
    expect(labels(entries)).toContain('No builds yet');
    expect(find(entries, 'Mute repositories')).toMatchObject({ items: [{ type: 'label', label: 'No repositories seen yet' }] });
  });
});

describe('connection line and tooltip', () => {
  const connectionLabels = (tray: TrayModel) => labels(trayMenu(tray, options)).slice(1, 1 + tray.connections.length);

  it('says why a source is not connected', () => {
    const offline = model([], { connections: [{ ...connected, connected: false, reason: 'HTTP 401; retrying in 8 s' }] });
    expect(connectionLabels(offline)).toEqual(['work relay: HTTP 401; retrying in 8 s']);
    expect(trayTooltip(offline)).toBe('buildbell: Offline: HTTP 401; retrying in 8 s');
  });

  it('says when nothing arrived yet, and the state in words', () => {
    const quiet = model([{ buildId: '1', state: 'running' }], { connections: [{ ...connected, lastEventAt: null }] });
    expect(connectionLabels(quiet)).toEqual(['work relay: connected · no events yet']);
    expect(trayTooltip(quiet)).toBe('buildbell: 1 build running (work relay)');
  });

  it('gives each source its line, by its name, and says which is down', () => {
    const two = model([{ buildId: '1', state: 'running' }], {
      connections: [connected, { connected: false, source: 'personal GitHub', since: NOW, reason: 'GitHub rate limit: paused until 14:05', lastEventAt: null }],
    });
    expect(connectionLabels(two)).toEqual(['work relay: connected · last event 2 min ago', 'personal GitHub: GitHub rate limit: paused until 14:05']);
    expect(two.headline).toBe('1 build running · personal GitHub down');
    expect(trayTooltip(two)).toBe('buildbell: 1 build running · personal GitHub down (work relay, personal GitHub)');
  });

  it.each([[0, 'just now'], [59_999, 'just now'], [60_000, '1 min ago'], [3_600_000, '1 h ago'], [86_400_000, '1 day ago'], [3 * 86_400_000, '3 days ago']])('ago(%d) is %s', (ms, words) => {
    expect(ago(ms)).toBe(words);
  });
});

describe('buildLabel', () => {
  it('keeps the first line of the title and bounds the length', () => {
    const [build] = model([{ buildId: '1', state: 'passed', title: `${'x'.repeat(100)}\nmore` }]).recentBuilds;
    const label = buildLabel(build!);
    expect(label.length).toBe(72);
    expect(label.endsWith('…')).toBe(true);
    expect(label).not.toContain('more');
  });
});

describe('nextMorning', () => {
  it('is 08:00 tomorrow in the evening and 08:00 today before dawn', () => {
    const evening = new Date(2026, 0, 10, 20, 0).getTime();
    expect(new Date(nextMorning(evening))).toEqual(new Date(2026, 0, 11, 8, 0));
    const dawn = new Date(2026, 0, 10, 5, 0).getTime();
    expect(new Date(nextMorning(dawn))).toEqual(new Date(2026, 0, 10, 8, 0));
  });
});
