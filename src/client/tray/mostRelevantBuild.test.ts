import { describe, expect, it } from 'vitest';
import { buildEvent, type EventSpec } from '../../../test/support/engineEvents.js';
import { BuildTracker } from '../../core/engine/buildTracker.js';
import { buildTrayModel } from '../../core/engine/trayModel.js';
import { mostRelevantBuild } from './mostRelevantBuild.js';

function model(events: EventSpec[]) {
  const tracker = new BuildTracker();
  for (const spec of events) tracker.apply(buildEvent(spec));
  return buildTrayModel({
    builds: tracker.builds(),
    branchOutcomes: tracker.branchOutcomes(),
    events: [],
    repositories: [],
    visibility: { mutedRepositories: [], branchPatterns: [], onlyMine: { enabled: false, usernames: [] } },
    connections: [{ connected: true, source: 'demo', since: 0, reason: null, lastEventAt: null }],
    pausedUntil: null,
    quietHours: false,
    canAct: () => false,
  });
}

describe('mostRelevantBuild', () => {
  it('is the newest failure, then what waits for approval, then what runs, then the newest', () => {
    expect(mostRelevantBuild(model([]))).toBeNull();
    expect(mostRelevantBuild(model([{ buildId: '1', state: 'passed', at: 1 }, { buildId: '2', state: 'passed', at: 2 }]))?.key).toBe('cirrus:2');
    expect(mostRelevantBuild(model([{ buildId: '1', state: 'running', at: 1 }, { buildId: '2', state: 'passed', at: 2 }]))?.key).toBe('cirrus:1');
    expect(mostRelevantBuild(model([{ buildId: '1', state: 'needs_approval', at: 1 }, { buildId: '2', state: 'running', at: 2 }]))?.key).toBe('cirrus:1');
    const failures = model([
      { buildId: '1', state: 'failed', at: 1 },
      { buildId: '2', state: 'errored', at: 2, repo: 'api' },
      { buildId: '3', state: 'needs_approval', at: 3 },
    ]);
    expect(mostRelevantBuild(failures)?.key).toBe('cirrus:2');
  });
});
