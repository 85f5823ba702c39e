/** An AppState for the window's tests: a relay with a stored token, three builds, one failing. */
import type { AppState, SourceView, TokenView } from '../../src/core/ipc/contract.js';
import type { TrayBuild } from '../../src/core/engine/trayModel.js';

const NOW = Date.now();

function build(id: string, state: TrayBuild['state'], branch: string, title: string, repository = 'acme/web'): TrayBuild {
  return {
    key: `cirrus:${id}`, provider: 'cirrus', id, repository, branch, title, state,
    url: `https://cirrus-ci.com/build/${id}`, failedTaskUrl: null, failedTasks: [],
    approvable: state === 'needs_approval', rerunnable: state === 'failed', updatedAt: NOW - Number(id) * 60_000,
  };
}

const stored = (yes: boolean): TokenView => ({ stored: yes, env: null });

/** The sample's sources: the team's relay (its token stored) and a personal GitHub poller that is down. */
export function sampleSources(actionTokensStored: { cirrus: boolean; github: boolean; gitlab?: boolean } = { cirrus: false, github: false }): SourceView[] {
  return [
    {
      name: 'work relay',
      kind: 'relay',
      url: 'https://relay.acme.dev',
      tokens: { token: stored(true), cirrusToken: stored(actionTokensStored.cirrus), githubToken: stored(actionTokensStored.github), gitlabToken: stored(actionTokensStored.gitlab === true) },
      status: { state: 'connected', line: 'connected · last event 2 min ago' },
    },
    {
      name: 'personal GitHub',
      kind: 'github',
      repositories: ['me/dotfiles', 'me/blog'],
      apiUrl: null,
      tokens: { token: stored(true) },
      status: { state: 'down', line: 'GitHub rate limit: paused until 14:05' },
    },
  ];
}

export function sampleState(
  overrides: { firstRun?: boolean; problem?: string; headline?: string; state?: AppState['tray']['state']; actionTokensStored?: { cirrus: boolean; github: boolean }; sources?: SourceView[] } = {},
): AppState {
  return {
    sources: overrides.sources ?? (overrides.firstRun ? [] : sampleSources(overrides.actionTokensStored)),
    settings: {
      notifications: { started: false, passed: false, failed: true, fixed: true, still_failing: true, needs_approval: true, aborted: false, errored: true },
      mutedRepositories: ['acme/legacy'],
      branches: [],
      quietHours: { enabled: false, start: '22:00', end: '07:00' },
      openAtLogin: true,
    },
    tray: {
      state: overrides.state ?? 'failing',
      headline: overrides.headline ?? '1 branch failing',
      connections: [
        { connected: true, source: 'work relay', since: NOW - 3_600_000, reason: null, lastEventAt: NOW - 120_000 },
        { connected: false, source: 'personal GitHub', since: NOW - 600_000, reason: 'GitHub rate limit: paused until 14:05', lastEventAt: null },
      ],
      pausedUntil: null,
      quietHours: false,
      recentEvents: [],
      recentBuilds: [
        { ...build('3', 'failed', 'main', 'Fix the flaky login test'), onIt: { line: 'Ana is on it', names: ['Ana'], mine: false }, failedTasks: ['Unit tests'], failureDetail: ['Unit tests: command “test” failed', '> FAIL src/login.test.ts > rejects an empty password', '> Tests: 1 failed, 83 passed (84)'] },
        build('2', 'needs_approval', 'pull/7', 'Add Windows installer docs', 'acme/docs'),
        build('1', 'passed', 'release/2.1', 'Bump version to 2.1.4'),
      ],
      repositories: [],
    },
    tokenStorage: { available: true, reason: null },
    connectionLines: overrides.firstRun ? ['No source configured'] : ['work relay: connected · last event 2 min ago', 'personal GitHub: GitHub rate limit: paused until 14:05'],
    firstRun: overrides.firstRun ?? false,
    problem: overrides.problem ?? null,
  };
}
