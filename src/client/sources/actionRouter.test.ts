import { describe, expect, it } from 'vitest';
import type { Provider } from '../../core/event.js';
import type { BuildRef } from '../../core/ports.js';
import type { GithubRepositoryRef } from '../../providers/github/api/client.js';
import { routeBuildActions, type SourceActions } from './actionRouter.js';
import { createCirrusBuildActions } from './cirrus/actions.js';
import { createGithubBuildActions, githubWebHost } from './github/actions.js';

function build(provider: Provider, id: string, url: string, slug = 'acme/web'): BuildRef {
  const [owner, name] = slug.split('/') as [string, string];
  return { provider, id, url, repository: { owner, name } };
}

/** Actions that record what they were asked, as `<name>:<action>:<provider>:<id>`. */
function recording(name: string, provider: Provider, calls: string[], host?: string): SourceActions {
  return {
    provider,
    ...(host === undefined ? {} : { host }),
    approve: async (b) => void calls.push(`${name}:approve:${b.provider}:${b.id}`),
    rerunFailedTasks: async (b) => void calls.push(`${name}:rerun:${b.provider}:${b.id}`),
  };
}

describe('routeBuildActions', () => {
  const cirrusBuild = build('cirrus', '42', 'https://cirrus-ci.com/build/42');
  const githubRun = build('github', '42', 'https://github.com/acme/web/actions/runs/42');
  const enterpriseRun = build('github', '42', 'https://ghe.example.com/acme/web/actions/runs/42');

  it('sends a Cirrus build and a GitHub run that share an id each to its own provider', async () => {
    const calls: string[] = [];
    const port = routeBuildActions([recording('cirrus', 'cirrus', calls), recording('github', 'github', calls, 'github.com')])!;
    await port.approve(cirrusBuild);
    await port.rerunFailedTasks(githubRun);
    expect(calls).toEqual(['cirrus:approve:cirrus:42', 'github:rerun:github:42']);
  });

  it('sends a run to the installation whose host it lives on', async () => {
    const calls: string[] = [];
    const port = routeBuildActions([recording('public', 'github', calls, 'github.com'), recording('enterprise', 'github', calls, 'ghe.example.com')])!;
    await port.approve(enterpriseRun);
    await port.approve(githubRun);
    expect(calls).toEqual(['enterprise:approve:github:42', 'public:approve:github:42']);
  });

  it('uses a stand-in without a host (the demo) for any run of its provider', async () => {
    const calls: string[] = [];
    const port = routeBuildActions([recording('demo', 'github', calls)])!;
    await port.approve(githubRun);
    expect(calls).toEqual(['demo:approve:github:42']);
  });

  it.each<[string, SourceActions[], BuildRef, RegExp]>([
    ['a GitHub run without GitHub actions', [recording('c', 'cirrus', [])], githubRun, /no source has a GitHub token to act on this run/],
    ['a Cirrus build without Cirrus actions', [recording('g', 'github', [], 'github.com')], cirrusBuild, /no source has a Cirrus CI token to act on this build/],
    [
      'a run on a host none of two installations serves',
      [recording('a', 'github', [], 'github.com'), recording('b', 'github', [], 'ghe.example.com')],
      build('github', '1', 'https://other.example.org/acme/web/actions/runs/1'),
      /no source has a GitHub token for other\.example\.org/,
    ],
  ])('refuses %s with a rejected promise, not a throw', async (_name, actions, target, message) => {
    const port = routeBuildActions(actions)!;
    for (const action of ['approve', 'rerunFailedTasks'] as const) {
      let result: Promise<void> | undefined;
      expect(() => (result = port[action](target))).not.toThrow();
      await expect(result).rejects.toThrow(message);
    }
  });

  it('is undefined when no source can act at all, so the engine says no token is configured', () => {
    expect(routeBuildActions([])).toBeUndefined();
  });

  it("passes an API's failure through unchanged", async () => {
    const failure = new Error('GitHub said no');
    const port = routeBuildActions([{ provider: 'github', approve: () => Promise.reject(failure), rerunFailedTasks: () => Promise.reject(failure) }])!;
    await expect(port.approve(githubRun)).rejects.toBe(failure);
  });
});

describe('provider actions', () => {
  it('GitHub approves and re-runs the run in the repository the build names', async () => {
    const calls: string[] = [];
    const record = (what: string) => async (repository: GithubRepositoryRef, runId: string) => void calls.push(`${what} ${repository.owner}/${repository.name} ${runId}`);
    const actions = createGithubBuildActions({ approveRun: record('approve'), rerunFailedJobs: record('rerun') }, 'github.com');
    await actions.approve(build('github', '200', 'https://github.com/octo/cat/actions/runs/200', 'octo/cat'));
    await actions.rerunFailedTasks(build('github', '200', 'https://github.com/octo/cat/actions/runs/200', 'octo/cat'));
    expect(calls).toEqual(['approve octo/cat 200', 'rerun octo/cat 200']);
  });

  it('Cirrus approves and re-runs by the build id', async () => {
    const calls: string[] = [];
    const actions = createCirrusBuildActions({
      approveBuild: async (id) => (calls.push(`approve ${id}`), { status: 'EXECUTING' }) as never,
      rerunFailed: async (id) => (calls.push(`rerun ${id}`), { kind: 'retrigger', status: 'CREATED' }) as never,
    });
    await actions.approve(cirrusBuild());
    await actions.rerunFailedTasks(cirrusBuild());
    expect(calls).toEqual(['approve 7', 'rerun 7']);
    function cirrusBuild() {
      return build('cirrus', '7', 'https://cirrus-ci.com/build/7');
    }
  });

  it.each([
    [undefined, 'github.com'],
    ['https://api.github.com', 'github.com'],
    ['https://ghe.example.com/api/v3', 'ghe.example.com'],
    ['http://127.0.0.1:4000', '127.0.0.1:4000'],
  ])('knows the web host of the API at %s', (apiUrl, host) => {
    expect(githubWebHost(apiUrl)).toBe(host);
  });
});
