/**
 * Approve and re-run for GitLab pipelines against the simulated REST API on 127.0.0.1, through
 * the router the engine gets: approve plays the manual job a pipeline waits on, re-run retries
 * its failed jobs, and a token that cannot says which scope or role it lacks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeBuildActions } from '../../src/client/sources/actionRouter.js';
import { createGitlabBuildActions, gitlabWebHost } from '../../src/client/sources/gitlab/actions.js';
import type { BuildRef } from '../../src/core/ports.js';
import { createGitlabApi } from '../../src/providers/gitlab/api/client.js';
import { startGitlabSimulator, type GitlabSimulator } from '../../src/sim/gitlab/simulator.js';
import type { SimGitlabPipeline } from '../../src/sim/gitlab/world.js';

let sim: GitlabSimulator;
beforeAll(async () => {
  sim = await startGitlabSimulator({
    scenario: false,
    autoAdvance: false,
    tokens: [
      { token: 'sim-read-token', permission: 'READ' },
      { token: 'sim-write-token', permission: 'WRITE' },
      { token: 'web-only-token', permission: 'WRITE', repositories: ['acme/web'] },
    ],
  });
});
afterAll(() => sim.stop());

function ref(pipeline: SimGitlabPipeline): BuildRef {
  const { namespace, path } = pipeline.project;
  return { provider: 'gitlab', repository: { owner: namespace, name: path }, id: String(pipeline.id), url: `https://gitlab.com/${namespace}/${path}/-/pipelines/${pipeline.id}` };
}

const actionsWith = (token?: string) => createGitlabBuildActions(createGitlabApi({ baseUrl: sim.apiUrl!, ...(token ? { token } : {}) }), 'gitlab.com');

describe('GitLab actions', () => {
  it('approve plays the manual job a pipeline in a subgroup waits on, and it runs to success', async () => {
    const pipeline = sim.startPipeline({ project: 'acme/platform/api', manual: true, fail: false });
    sim.advance(60_000);
    expect(pipeline.status).toBe('manual');
    await routeBuildActions([actionsWith('sim-write-token')])!.approve(ref(pipeline));
    expect(pipeline.jobs.find((job) => job.name === 'deploy production')!.status).toBe('pending');
    sim.advance(60_000);
    expect(pipeline.status).toBe('success');
  });

  it('approve of a pipeline waiting on nothing says so', async () => {
    const pipeline = sim.startPipeline({ project: 'acme/web', fail: false });
    sim.advance(60_000);
    await expect(actionsWith('sim-write-token').approve(ref(pipeline))).rejects.toThrow(/waits on no manual job/);
  });

  it('re-run retries the failed jobs as new jobs, and the pipeline runs again', async () => {
    const pipeline = sim.startPipeline({ project: 'acme/web', fail: true });
    sim.advance(60_000);
    expect(pipeline.status).toBe('failed');
    await actionsWith('sim-write-token').rerunFailedTasks(ref(pipeline));
    expect(pipeline.status).toBe('pending');
    expect(pipeline.jobs.filter((job) => job.retried)).toHaveLength(1);
    sim.advance(60_000);
    expect(pipeline.status).toBe('success');
  });

  it.each([
    ['no token', undefined, /no GitLab token was given, and this needs one with the api scope/],
    ['a token with read_api only', 'sim-read-token', /the GitLab token lacks the api scope.*Create a personal access token with the api scope/],
    ['a token without the role in this project', 'web-only-token', /lacks the role for this: running a manual job or retrying jobs needs at least the Developer role/],
  ])('%s: the message says what is missing', async (_what, token, message) => {
    const pipeline = sim.startPipeline({ project: 'acme/platform/api', fail: true });
    sim.advance(60_000);
    const error = await actionsWith(token).rerunFailedTasks(ref(pipeline)).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('GitlabPermissionError');
    expect((error as Error).message).toMatch(/^Cannot retry the failed jobs of pipeline \d+ of acme\/platform\/api: /);
    expect((error as Error).message).toMatch(message);
    expect(pipeline.status).toBe('failed');
  });

  it('a private project the token cannot see is named as such', async () => {
    const pipeline = sim.startPipeline({ project: 'acme/mobile', manual: true, fail: false });
    sim.advance(60_000);
    await expect(actionsWith().approve(ref(pipeline))).rejects.toThrow(/no such project, or it is private and no token was given/);
  });

  it('the router hands GitLab builds to GitLab actions by host, and refuses another host', async () => {
    const router = routeBuildActions([actionsWith('sim-write-token')])!;
    const pipeline = sim.startPipeline({ project: 'acme/web', fail: true });
    sim.advance(60_000);
    const elsewhere = { ...ref(pipeline), url: `https://git.example.com/acme/web/-/pipelines/${pipeline.id}` };
    await router.rerunFailedTasks(elsewhere);
    expect(pipeline.status).toBe('pending');
    const two = routeBuildActions([createGitlabBuildActions(createGitlabApi(), 'gitlab.com'), createGitlabBuildActions(createGitlabApi(), 'git.other.com')])!;
    await expect(two.approve(elsewhere)).rejects.toThrow(/no source has a GitLab token for git\.example\.com/);
    await expect(router.approve({ ...elsewhere, provider: 'github' })).rejects.toThrow(/no source has a GitHub token/);
  });

  it('knows the web host of an API base', () => {
    expect(gitlabWebHost(undefined)).toBe('gitlab.com');
    expect(gitlabWebHost('https://gitlab.com/api/v4')).toBe('gitlab.com');
    expect(gitlabWebHost('https://git.example.com:8443/api/v4')).toBe('git.example.com:8443');
  });
});
