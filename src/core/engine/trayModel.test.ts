import { describe, expect, it } from 'vitest';
import { buildEvent, type EventSpec } from '../../../test/support/engineEvents.js';
import { BuildTracker } from './buildTracker.js';
import type { VisibilityRules } from './filters.js';
import { buildTrayModel, type OverallState, type TrayInput } from './trayModel.js';

const noFilters: VisibilityRules = { mutedRepositories: [], branchPatterns: [], onlyMine: { enabled: false, usernames: [] } };
const connected = { connected: true, source: 'work relay', since: 500, reason: null, lastEventAt: null };

function input(events: EventSpec[], overrides: Partial<TrayInput> = {}): TrayInput {
  const tracker = new BuildTracker();
  for (const spec of events) tracker.apply(buildEvent(spec));
  return {
    builds: tracker.builds(),
    branchOutcomes: tracker.branchOutcomes(),
    events: [],
    repositories: tracker.builds().map((build) => build.slug),
    visibility: noFilters,
    connections: [connected],
    pausedUntil: null,
    quietHours: false,
    canAct: () => true,
    ...overrides,
  };
}

describe('buildTrayModel: overall state', () => {
  const failedMain: EventSpec = { buildId: '1', state: 'failed' };
  it.each<[string, EventSpec[], Partial<TrayInput>, OverallState, string]>([
    ['nothing known', [], {}, 'idle', 'No builds yet'],
    ['offline comes first', [failedMain], { connections: [{ ...connected, connected: false, reason: 'reconnecting in 8 s' }] }, 'offline', 'Offline: reconnecting in 8 s'],
    ['no source at all is offline', [failedMain], { connections: [] }, 'offline', 'Offline: no source configured'],
    [
      'offline only when every source is down',
      [failedMain],
      { connections: [{ ...connected, connected: false, reason: 'refused' }, { ...connected, source: 'personal GitHub', connected: false, reason: 'rate limit' }] },
      'offline',
      'Offline: every source is down',
    ],
    [
      'one source of two down: the builds speak, and the headline names the source',
      [failedMain],
      { connections: [connected, { ...connected, source: 'personal GitHub', connected: false, reason: 'rate limit' }] },
      'failing',
      '1 branch failing · personal GitHub down',
    ],
    [
      'two sources of three down',
      [],
      { connections: [connected, { ...connected, source: 'a', connected: false }, { ...connected, source: 'b', connected: false }] },
      'idle',
      'No builds yet · 2 sources down',
    ],
    ['paused comes next', [failedMain], { pausedUntil: 9_999 }, 'paused', 'Notifications paused'],
    ['a failed branch', [failedMain, { buildId: '2', state: 'needs_approval', branch: 'pr' }], {}, 'failing', '1 branch failing'],
    ['an errored branch', [{ buildId: '1', state: 'errored' }], {}, 'failing', '1 branch failing'],
    ['a failed branch fixed since', [failedMain, { buildId: '2', state: 'passed' }], {}, 'passing', 'All passing'],
    ['failed then a new build running: still failing', [failedMain, { buildId: '2', state: 'running' }], {}, 'failing', '1 branch failing'],
    ['failed then aborted: still failing', [failedMain, { buildId: '2', state: 'aborted' }], {}, 'failing', '1 branch failing'],
    ['a build waiting for approval', [{ buildId: '1', state: 'passed' }, { buildId: '2', state: 'needs_approval', branch: 'pr' }], {}, 'needs_approval', '1 build needs approval'],
    ['builds running', [{ buildId: '1', state: 'running' }, { buildId: '2', state: 'queued' }], {}, 'running', '2 builds running'],
    ['all passed', [{ buildId: '1', state: 'passed' }, { buildId: '2', state: 'passed', branch: 'dev' }], {}, 'passing', 'All passing'],
    ['a failure in a muted repository does not count', [failedMain, { buildId: '2', state: 'passed', repo: 'api' }], { visibility: { ...noFilters, mutedRepositories: ['acme/web'] } }, 'passing', 'All passing'],
    ['a failure on an excluded branch does not count', [failedMain], { visibility: { ...noFilters, branchPatterns: ['release/*'] } }, 'idle', 'No builds yet'],
    ['a failure by someone else does not count with only-mine', [failedMain], { visibility: { ...noFilters, onlyMine: { enabled: true, usernames: ['bob'] } } }, 'idle', 'No builds yet'],
  ])('%s', (_name, events, overrides, state, headline) => {
    const model = buildTrayModel(input(events, overrides));
    expect(model.state).toBe(state);
    expect(model.headline).toBe(headline);
  });
});

describe('buildTrayModel: lists', () => {
  it('lists recent visible builds newest first, bounded, with what can be done to each', () => {
    const events: EventSpec[] = [
      { buildId: '1', state: 'failed', at: 1, task: { id: 't1', name: 'lint', state: 'failed' } },
      { buildId: '2', state: 'needs_approval', at: 2, branch: 'pull/7' },
      { buildId: '3', state: 'passed', at: 3, repo: 'muted' },
      { buildId: '4', state: 'running', at: 4, title: 'Bump deps' },
    ];
    const visibility = { ...noFilters, mutedRepositories: ['acme/muted'] };
    const model = buildTrayModel(input(events, { visibility, limits: { builds: 2 } }));
    expect(model.recentBuilds).toEqual([
      expect.objectContaining({ key: 'cirrus:4', repository: 'acme/web', branch: 'main', title: 'Bump deps', state: 'running', approvable: false, rerunnable: false }),
      expect.objectContaining({ key: 'cirrus:2', branch: 'pull/7', state: 'needs_approval', approvable: true, rerunnable: false }),
    ]);
    const all = buildTrayModel(input(events, { visibility }));
    expect(all.recentBuilds.map((build) => build.id)).toEqual(['4', '2', '1']);
    expect(all.recentBuilds[2]).toMatchObject({
      url: 'https://cirrus-ci.com/build/1',
      failedTaskUrl: 'https://cirrus-ci.com/task/t1',
      failedTasks: ['lint'],
      rerunnable: true,
    });
    expect(all.repositories).toEqual([
      { slug: 'acme/muted', muted: true, mutedBy: 'acme/muted' },
      { slug: 'acme/web', muted: false, mutedBy: null },
    ]);
  });

  it('offers no actions when none are configured', () => {
    const model = buildTrayModel(input([{ buildId: '1', state: 'failed' }], { canAct: () => false }));
    expect(model.recentBuilds[0]).toMatchObject({ approvable: false, rerunnable: false });
  });

  it('offers actions per build, where a source can act on its CI', () => {
    const model = buildTrayModel(input([{ buildId: '1', state: 'failed' }, { buildId: '2', state: 'failed', repo: 'api' }], { canAct: (build) => build.id === '2' }));
    expect(Object.fromEntries(model.recentBuilds.map((build) => [build.id, build.rerunnable]))).toEqual({ '1': false, '2': true });
  });

  it('keeps the last events and the connection as given', () => {
    const events = Array.from({ length: 15 }, (_, i) => ({ at: 100 - i, text: `event ${i}`, kind: 'build' as const, buildKey: null, url: null }));
    const model = buildTrayModel(input([], { events, connections: [{ ...connected, lastEventAt: 1_234 }], quietHours: true }));
    expect(model.recentEvents).toHaveLength(10);
    expect(model.recentEvents[0]?.text).toBe('event 0');
    expect(model.connections).toEqual([{ ...connected, lastEventAt: 1_234 }]);
    expect(model.quietHours).toBe(true);
  });

  it('says who is on a build, the user apart from the others, with names cleaned', () => {
    const people = {
      'cirrus:1': [{ name: 'me', own: true, at: 1 }, { name: 'Ana\u202e\n', own: false, at: 2 }],
      'cirrus:2': [{ name: 'Ben', own: false, at: 3 }],
    };
    const model = buildTrayModel(input([{ buildId: '1', state: 'failed' }, { buildId: '2', state: 'failed', repo: 'api' }, { buildId: '3', state: 'failed', repo: 'ops' }], {
      onIt: (key) => people[key as keyof typeof people] ?? [],
    }));
    expect(Object.fromEntries(model.recentBuilds.map((build) => [build.id, build.onIt]))).toEqual({
      '1': { line: 'You and Ana are on it', names: ['Ana'], mine: true },
      '2': { line: 'Ben is on it', names: ['Ben'], mine: false },
      '3': null,
    });
  });
});
