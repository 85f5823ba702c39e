import { describe, expect, it } from 'vitest';
import type { NormalisedEvent, Provider } from '../../../core/event.js';
import type { BuildActionsPort } from '../../../core/ports.js';
import type { GithubRepositoryRef } from '../../../providers/github/api/client.js';
import { buildEvent } from '../../../../test/support/engine-events.js';
import { BuildDirectory } from '../buildDirectory.js';
import { createGithubBuildActions, routeBuildActions } from './actions.js';

function event(provider: Provider, buildId: string, slug = 'acme/web'): NormalisedEvent {
  const [owner, repo] = slug.split('/') as [string, string];
  return { ...buildEvent({ state: 'failed', buildId, owner, repo }), provider };
}

/** A port that records what it was asked, as `<name>:<action>:<build>`. */
function recordingPort(name: string, calls: string[]): BuildActionsPort {
  return {
    approve: async (id) => void calls.push(`${name}:approve:${id}`),
    rerunFailedTasks: async (id) => void calls.push(`${name}:rerun:${id}`),
  };
}

describe('routeBuildActions', () => {
  const directory = new BuildDirectory();
  directory.note(event('cirrus', '100'));
  directory.note(event('github', '200'));

  it.each<[string, 'approve' | 'rerunFailedTasks', string, string]>([
    ['a Cirrus build to the Cirrus port', 'approve', '100', 'cirrus:approve:100'],
    ['a Cirrus re-run to the Cirrus port', 'rerunFailedTasks', '100', 'cirrus:rerun:100'],
    ['a GitHub approval to the GitHub port', 'approve', '200', 'github:approve:200'],
    ['a GitHub re-run to the GitHub port', 'rerunFailedTasks', '200', 'github:rerun:200'],
  ])('sends %s, and only there', async (_name, action, buildId, expected) => {
    const calls: string[] = [];
    const port = routeBuildActions(directory, { cirrus: recordingPort('cirrus', calls), github: recordingPort('github', calls) });
    await port[action](buildId);
    expect(calls).toEqual([expected]);
  });

  it.each<[string, Partial<Record<Provider, BuildActionsPort>>, string, RegExp]>([
    ['a build it has never seen', { cirrus: recordingPort('c', []), github: recordingPort('g', []) }, '300', /build 300 is not one this app has seen/],
    ['a GitHub run without a GitHub port', { cirrus: recordingPort('c', []) }, '200', /no GitHub token \(--github-token\) is configured for github builds/],
    ['a Cirrus build without a Cirrus port', { github: recordingPort('g', []) }, '100', /no Cirrus token \(--cirrus-token\) is configured for cirrus builds/],
  ])('refuses %s with a rejected promise, not a throw', async (_name, ports, buildId, message) => {
    const port = routeBuildActions(directory, ports);
    for (const action of ['approve', 'rerunFailedTasks'] as const) {
      let result: Promise<void> | undefined;
      expect(() => (result = port[action](buildId))).not.toThrow();
      await expect(result).rejects.toThrow(message);
    }
  });

  it('passes a port\'s failure through unchanged', async () => {
    const failure = new Error('GitHub said no');
    const port = routeBuildActions(directory, { github: { approve: () => Promise.reject(failure), rerunFailedTasks: () => Promise.reject(failure) } });
    await expect(port.approve('200')).rejects.toBe(failure);
  });
});

describe('createGithubBuildActions', () => {
  function fakeApi(calls: string[]) {
    const record = (what: string) => async (repository: GithubRepositoryRef, runId: string) => void calls.push(`${what} ${repository.owner}/${repository.name} ${runId}`);
    return { approveRun: record('approve'), rerunFailedJobs: record('rerun') };
  }

  it('approves and re-runs a run in the repository its events came from', async () => {
    const calls: string[] = [];
    const directory = new BuildDirectory();
    directory.note(event('github', '200', 'octo/cat'));
    const actions = createGithubBuildActions(fakeApi(calls), directory);
    await actions.approve('200');
    await actions.rerunFailedTasks('200');
    expect(calls).toEqual(['approve octo/cat 200', 'rerun octo/cat 200']);
  });

  it.each([
    ['a run it has never seen', '300'],
    ['a Cirrus build', '100'],
  ])('refuses %s without calling GitHub', async (_name, buildId) => {
    const calls: string[] = [];
    const directory = new BuildDirectory();
    directory.note(event('cirrus', '100'));
    const actions = createGithubBuildActions(fakeApi(calls), directory);
    await expect(actions.approve(buildId)).rejects.toThrow(`run ${buildId} is not a GitHub run this app has seen`);
    await expect(actions.rerunFailedTasks(buildId)).rejects.toThrow(`run ${buildId} is not a GitHub run this app has seen`);
    expect(calls).toEqual([]);
  });
});
