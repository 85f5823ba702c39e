import { describe, expect, it } from 'vitest';
import type { FetchLike } from './client.js';
import { createCirrusApi } from './client.js';
import { countingFetch } from './countingFetch.js';
import {
  CirrusGraphqlError,
  CirrusHttpError,
  CirrusNetworkError,
  CirrusPermissionError,
  CirrusResponseError,
} from './errors.js';

interface Seen { url: string; headers: Record<string, string>; body: { query: string; variables: Record<string, unknown> } }

/** A transport that answers from a list and records what it was sent. */
function scripted(answers: (Response | Error)[]): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    fetch: async (url, init) => {
      seen.push({ url, headers: init.headers as Record<string, string>, body: JSON.parse(String(init.body)) });
      const next = answers.shift();
      if (next === undefined) throw new Error('no more answers');
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const build = (overrides: Record<string, unknown> = {}) => ({
  id: '5082236150611968', status: 'FAILED', branch: 'main', changeIdInRepo: 'abc', changeMessageTitle: 'Fix',
  changeTimestamp: 1722406690000, pullRequest: null, initializer: { id: '1', username: 'ann' },
  repository: { id: '5129885287448576', owner: 'acme', name: 'web', isPrivate: false },
  tasks: [
    { id: '11', name: 'lint', status: 'COMPLETED' },
    { id: '12', name: 'test', status: 'FAILED' },
    { id: '13', name: 'deploy', status: 'ABORTED' },
  ],
  ...overrides,
});

describe('createCirrusApi', () => {
  it('refuses an endpoint that is not http(s) at once', () => {
    expect(() => createCirrusApi({ endpoint: 'ftp://x' })).toThrow(TypeError);
    expect(() => createCirrusApi({ endpoint: 'not a url' })).toThrow(/endpoint/);
  });

  it('polls every repository in one request and maps aliases back in order', async () => {
    const transport = scripted([json({ data: {
      r0: { id: '1', owner: 'acme', name: 'web', isPrivate: false, builds: { edges: [{ node: build({ repository: undefined }) }] } },
      r1: null,
    } })]);
    const counter = countingFetch(transport.fetch);
    const api = createCirrusApi({ endpoint: 'http://127.0.0.1:1/graphql', token: 't', fetch: counter.fetch });
    const polled = await api.pollRepositories([{ owner: 'acme', name: 'web' }, { owner: 'acme', name: 'secret' }]);
    expect(counter.count()).toBe(1);
    expect(polled[0]?.builds.map((b) => b.id)).toEqual(['5082236150611968']);
    expect(polled[0]?.builds[0]?.changeTimestamp).toBe(1722406690000);
    expect(polled[1]).toEqual({ owner: 'acme', name: 'secret', repository: null, builds: [] });
    expect(transport.seen[0]?.headers['authorization']).toBe('Bearer t');
    expect(transport.seen[0]?.body.variables).toMatchObject({ o0: 'acme', n0: 'web', o1: 'acme', n1: 'secret' });
  });

  it('sends no Authorization header without a token', async () => {
    const transport = scripted([json({ data: { build: null } })]);
    await createCirrusApi({ fetch: transport.fetch }).getBuild('1');
    expect(transport.seen[0]?.headers['authorization']).toBeUndefined();
    expect(transport.seen[0]?.url).toBe('https://api.cirrus-ci.com/graphql');
  });

  it('re-runs only FAILED and ABORTED tasks', async () => {
    const transport = scripted([
      json({ data: { build: build() } }),
      json({ data: { batchReRun: { clientMutationId: 'm', newTasks: [{ id: '21', name: 'test', status: 'CREATED' }, { id: '22', name: 'deploy', status: 'CREATED' }] } } }),
    ]);
    const api = createCirrusApi({ fetch: transport.fetch, token: 'w', mutationId: () => 'm' });
    expect(await api.rerunFailed('5082236150611968')).toEqual({
      kind: 'rerun', tasks: [{ id: '21', name: 'test' }, { id: '22', name: 'deploy' }],
    });
    expect(transport.seen[1]?.body.variables).toEqual({ taskIds: ['12', '13'], clientMutationId: 'm' });
  });

  it('retriggers a build that has no tasks', async () => {
    const transport = scripted([
      json({ data: { build: build({ status: 'ERRORED', tasks: [] }) } }),
      json({ data: { retrigger: { clientMutationId: 'm', build: { id: '5082236150611968', status: 'CREATED' } } } }),
    ]);
    const api = createCirrusApi({ fetch: transport.fetch, token: 'w' });
    expect(await api.rerunFailed('5082236150611968')).toEqual({ kind: 'retrigger', status: 'CREATED' });
    expect(transport.seen[1]?.body.query).toContain('retrigger(');
  });

  it('turns a permission refusal into advice naming the owner settings page', async () => {
    const transport = scripted([
      json({ data: null, errors: [{ message: 'Permission denied' }] }),
      json({ data: { build: build() } }),
    ]);
    const api = createCirrusApi({ fetch: transport.fetch, token: 'read-only' });
    const error = await api.approveBuild('5082236150611968').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CirrusPermissionError);
    expect((error as Error).message).toContain('lacks WRITE permission');
    expect((error as Error).message).toContain('https://cirrus-ci.com/settings/github/acme');
  });

  it('says when no token was given', async () => {
    const transport = scripted([json({ errors: [{ message: 'Unauthorized' }] }, 401)]);
    const api = createCirrusApi({ fetch: transport.fetch });
    await expect(api.approveBuild('1')).rejects.toThrow(/no Cirrus token was given.*WRITE/);
  });

  it('types the other failures', async () => {
    const api = (answer: Response | Error) => createCirrusApi({ fetch: scripted([answer]).fetch });
    await expect(api(json({ errors: [{ message: 'boom' }] })).getBuild('1')).rejects.toBeInstanceOf(CirrusGraphqlError);
    await expect(api(new Response('oops', { status: 502 })).getBuild('1')).rejects.toMatchObject({ status: 502 });
    await expect(api(new Response('oops', { status: 502 })).getBuild('1')).rejects.toBeInstanceOf(CirrusHttpError);
    await expect(api(new TypeError('fetch failed')).getBuild('1')).rejects.toBeInstanceOf(CirrusNetworkError);
    await expect(api(new Response('<html>')).getBuild('1')).rejects.toBeInstanceOf(CirrusResponseError);
    await expect(api(json({ data: { build: { id: '1' } } })).getBuild('1')).rejects.toThrow(/build\.status/);
  });
});
