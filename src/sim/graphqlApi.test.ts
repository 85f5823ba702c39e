import { getIntrospectionQuery } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCirrusApi } from '../providers/cirrus/api/client.js';
import { CirrusPermissionError } from '../providers/cirrus/api/errors.js';
import type { SimEvent, Simulator } from './simulator.js';
import { startSimulator } from './simulator.js';

let sim: Simulator;
let events: SimEvent[];

beforeEach(async () => {
  sim = await startSimulator({ autoAdvance: false, scenario: false, seed: 21 });
  events = [];
  sim.onEvent((e) => events.push(e));
});
afterEach(async () => {
  await sim.stop();
});

const api = (token?: string) => createCirrusApi({ endpoint: sim.graphqlUrl!, ...(token ? { token } : {}) });
const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(sim.graphqlUrl!, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the simulated GraphQL API', () => {
  it('answers the batched poll; a private repository is invisible without a token', async () => {
    const repositories = [{ owner: 'acme', name: 'web' }, { owner: 'acme', name: 'mobile' }];
    const anonymous = await api().pollRepositories(repositories);
    expect(anonymous[0]?.repository).toMatchObject({ owner: 'acme', name: 'web', isPrivate: false });
    expect(anonymous[0]?.builds).toHaveLength(3);
    expect(anonymous[0]?.builds[0]?.tasks.length).toBeGreaterThan(0);
    expect(anonymous[0]?.builds[0]?.changeTimestamp).toBeGreaterThan(2 ** 31);
    expect(anonymous[1]).toEqual({ owner: 'acme', name: 'mobile', repository: null, builds: [] });
    const withToken = await api('sim-read-token').pollRepositories(repositories);
    expect(withToken[1]?.repository?.isPrivate).toBe(true);
    expect(sim.graphqlRequestCount()).toBe(2);
  });

  it('approves a build waiting for approval, which then runs and sends its webhooks', async () => {
    const build = sim.startBuild({ repository: 'acme/api', pullRequest: 7, needsApproval: true });
    sim.advance(1_000);
    expect((await api().getBuild(build.id))?.status).toBe('NEEDS_APPROVAL');
    expect((await api().getBuild(build.id))?.initializer?.username).toBeTruthy();
    events.length = 0;
    expect(await api('sim-write-token').approveBuild(build.id)).toEqual({ status: 'TRIGGERED' });
    expect(events[0]?.event.build).toMatchObject({ id: build.id, status: 'TRIGGERED', previousStatus: 'NEEDS_APPROVAL' });
    sim.advance(60_000);
    expect(['COMPLETED', 'FAILED', 'ABORTED']).toContain(sim.world.build(build.id)?.status);
  });

  it('refuses a mutation without WRITE, with a permission error, and changes nothing', async () => {
    const build = sim.startBuild({ repository: 'acme/api', pullRequest: 8, needsApproval: true });
    sim.advance(1_000);
    for (const token of [undefined, 'sim-read-token']) {
      const error = await api(token).approveBuild(build.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CirrusPermissionError);
      expect((error as Error).message).toContain('https://cirrus-ci.com/settings/github/acme');
    }
    const raw = await (await post({ query: `mutation { approve(input: {buildId: "${build.id}", clientMutationId: "x"}) { clientMutationId } }` })).json();
    expect(raw.errors[0].message).toMatch(/Permission denied/);
    expect(raw.errors[0].extensions.code).toBe('PERMISSION_DENIED');
    expect(sim.world.build(build.id)?.status).toBe('NEEDS_APPROVAL');
  });

  it('re-runs failed tasks as new tasks and the build runs again', async () => {
    const build = sim.startBuild({ repository: 'acme/web', outcome: 'fail' });
    sim.advance(60_000);
    expect(sim.world.build(build.id)?.status).toBe('FAILED');
    const failed = sim.world.tasksOf(build).filter((t) => t.status === 'FAILED');
    expect(failed).toHaveLength(1);
    events.length = 0;
    const result = await api('sim-write-token').rerunFailed(build.id);
    expect(result.kind).toBe('rerun');
    const newIds = result.kind === 'rerun' ? result.tasks.map((t) => t.id) : [];
    expect(newIds).toHaveLength(1);
    expect(newIds[0]).not.toBe(failed[0]!.id);
    expect(sim.world.task(newIds[0]!)?.previousRunIds).toEqual([failed[0]!.id]);
    expect(events.map((e) => `${e.eventType}:${e.event.action}:${e.event.task?.status ?? e.event.build.status}`)).toEqual([
      'task:created:CREATED',
      'build:updated:EXECUTING',
    ]);
  });

  it('retriggers an errored build that never had tasks', async () => {
    const build = sim.startBuild({ repository: 'acme/web', outcome: 'error' });
    sim.advance(1_000);
    expect(sim.world.build(build.id)?.status).toBe('ERRORED');
    expect(await api('sim-write-token').rerunFailed(build.id)).toEqual({ kind: 'retrigger', status: 'CREATED' });
    sim.advance(60_000);
    expect(sim.world.tasksOf(sim.world.build(build.id)!).length).toBeGreaterThan(0);
  });

  it('answers introspection, refuses unknown tokens and non-GraphQL bodies', async () => {
    const introspection = await (await post({ query: getIntrospectionQuery() })).json();
    const types = introspection.data.__schema.types.map((t: { name: string }) => t.name);
    expect(types).toEqual(expect.arrayContaining(['Build', 'Task', 'Repository', 'BuildStatus']));
    expect((await post({ query: '{ viewer { id } }' }, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post({ nope: 1 })).status).toBe(400);
    expect((await fetch(sim.graphqlUrl!.replace('/graphql', '/other'))).status).toBe(404);
    const invalid = await (await post({ query: '{ build(id: "1") { buildReTrigger } }' })).json();
    expect(invalid.errors[0].message).toContain('buildReTrigger');
  });

  it('answers a chosen status on the next requests, for backoff tests', async () => {
    sim.failNextGraphqlRequests(1, 502);
    expect((await post({ query: '{ viewer { id } }' })).status).toBe(502);
    expect((await post({ query: '{ viewer { id } }' })).status).toBe(200);
  });
});
