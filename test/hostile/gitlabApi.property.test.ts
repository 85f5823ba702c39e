/**
 * The GitLab REST client reads what a server (or anyone in between) sends: any status, any
 * rate-limit headers, any body. Whatever comes, every call answers with a value or a typed
 * GitlabApiError, never anything else thrown (a job log's end included); and what it hands over as a value turns into
 * normalised events without throwing either. A crash here would be a security bug: a hostile
 * server could stop every desktop that polls it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gitlabPipelineEvents } from '../../src/client/sources/gitlab/pollDiff.js';
import { createGitlabApi, type FetchLike } from '../../src/providers/gitlab/api/client.js';
import { GitlabApiError } from '../../src/providers/gitlab/api/errors.js';
import { apiPipelineSchema, apiProjectSchema } from '../../src/providers/gitlab/api/responses.js';
import { gitlabTraceLines } from '../../src/providers/gitlab/traceLines.js';

const project = apiProjectSchema.parse({ id: 55120987, path_with_namespace: 'acme/platform/web', web_url: 'https://gitlab.com/acme/platform/web', visibility: 'public' });
const knownPipeline = apiPipelineSchema.parse({ id: 1, status: 'running', updated_at: '2026-11-30T09:00:00Z', web_url: 'https://gitlab.com/acme/platform/web/-/pipelines/1' });

function validPipeline(): Record<string, unknown> {
  return { id: 9007199254740993n, iid: 3, project_id: 55120987, sha: 'abc', ref: 'main', status: 'failed', source: 'push', created_at: '2026-11-30T09:12:04.000Z', updated_at: '2026-11-30T09:15:41.123Z', web_url: 'https://gitlab.com/acme/platform/web/-/pipelines/1' };
}

function validJob(): Record<string, unknown> {
  return {
    id: 8120400055, name: 'unit tests', stage: 'test', status: 'failed', allow_failure: false, failure_reason: 'script_failure', created_at: '2026-11-30T09:12:04.000Z',
    web_url: 'https://gitlab.com/acme/platform/web/-/jobs/8120400055', user: { username: 'ada' }, commit: { title: 'Fix it', message: 'Fix it\n' }, pipeline: { id: 1 },
  };
}

/** JSON text of a valid object with one field (at any depth) replaced by anything at all. */
function mutated(make: () => Record<string, unknown>) {
  return fc.tuple(fc.nat(), fc.anything({ maxDepth: 2, withBigInt: true, withNullPrototype: true }), fc.boolean()).map(([pick, value, asList]) => {
    const item = make();
    const paths: string[][] = [];
    const walk = (node: unknown, at: string[]) => {
      if (typeof node !== 'object' || node === null) return;
      for (const key of Object.keys(node)) {
        paths.push([...at, key]);
        walk((node as Record<string, unknown>)[key], [...at, key]);
      }
    };
    walk(item, []);
    const target = paths[pick % paths.length]!;
    let node = item;
    for (const key of target.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[target.at(-1)!] = value;
    const text = JSON.stringify(asList ? [item, make()] : item, (_key, v: unknown) => (typeof v === 'bigint' ? `@@${v}@@` : v));
    // BigInts become bare integer literals, as a server past 2^53 would write them.
    return text.replace(/"@@(-?\d+)@@"/g, '$1');
  });
}

/** Listings of the right shape whose texts are anything a server may put there. */
const text = fc.string({ unit: 'binary', maxLength: 40 });
const validPipelines = fc.array(fc.record({ ref: text, sha: text, source: text, updated_at: text }), { minLength: 1, maxLength: 4 }).map((items) =>
  JSON.stringify(items.map((item, index) => ({ ...validPipeline(), ...item, id: index + 1 })), (_key, v: unknown) => (typeof v === 'bigint' ? Number(v % 1000n) : v)),
);
const validJobs = fc.array(fc.record({ name: text, stage: text, failure_reason: text, user: fc.record({ username: text }), commit: fc.record({ title: text, message: text }) }), { minLength: 1, maxLength: 4 }).map((items) =>
  JSON.stringify(items.map((item, index) => ({ ...validJob(), ...item, id: index + 1 }))),
);

const body = fc.oneof(
  { arbitrary: validPipelines, weight: 3 },
  { arbitrary: validJobs, weight: 3 },
  fc.json(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.tuple(fc.json(), fc.nat(), fc.string()).map(([json, at, junk]) => json.slice(0, at % (json.length + 1)) + junk),
  { arbitrary: mutated(validPipeline), weight: 3 },
  { arbitrary: mutated(validJob), weight: 3 },
  mutated(() => ({ id: 1, path_with_namespace: 'acme/web', web_url: 'https://gitlab.com/acme/web', visibility: 'private' })),
  fc.constantFrom('[]', '{}', 'null', '"x"', '[null]', `[${'['.repeat(5000)}`, '{"message":{"base":["x"]}}', '{"error":"insufficient_scope"}', 'Retry later\n'),
);

const headerValue = fc.oneof(fc.nat().map(String), fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String), fc.stringMatching(/^[\x20-\x7e]{0,30}$/), fc.constantFrom('-1', '1e9', '0x10', ' 5 ', ''));
const contentRange = fc.oneof(headerValue, fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `bytes ${a}-${b}/${c}`), fc.constantFrom('bytes 0-0/*', 'bytes */100', 'bytes 5-1/2'));
const headers = fc.dictionary(fc.constantFrom('retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'content-type', 'content-range'), fc.oneof(headerValue, contentRange), { maxKeys: 6 });
const status = fc.oneof({ arbitrary: fc.constant(200), weight: 3 }, fc.constantFrom(200, 201, 206, 400, 401, 403, 404, 409, 416, 422, 429, 500, 502, 503), fc.integer({ min: 200, max: 599 }).filter((code) => code !== 204 && code !== 205));
const operation = fc.constantFrom('getProject', 'listPipelines', 'listPipelineJobs', 'readJobTraceTail', 'playJob', 'retryPipeline');

describe('the GitLab API client on any answer', () => {
  it('answers with a value or a GitlabApiError, and its values become events without throwing', async () => {
    let events = 0;
    await fc.assert(
      fc.asyncProperty(status, headers, body, operation, fc.boolean(), async (code, head, text, op, withToken) => {
        const fetch: FetchLike = async () => new Response(text, { status: code, headers: head });
        const api = createGitlabApi({ fetch, clock: () => 1_800_000_000_000, ...(withToken ? { token: 'glpat-x' } : {}) });
        try {
          switch (op) {
            case 'getProject':
              await api.getProject('acme/platform/web');
              break;
            case 'listPipelines': {
              const listing = await api.listPipelines('acme/platform/web', { updatedAfter: '2026-11-30T09:00:00Z' });
              if (listing.kind === 'listed') for (const pipeline of listing.pipelines) events += gitlabPipelineEvents(project, { pipeline: knownPipeline, jobs: null }, pipeline, [], 1).length;
              break;
            }
            case 'listPipelineJobs': {
              const { jobs } = await api.listPipelineJobs('acme/platform/web', '1');
              events += gitlabPipelineEvents(project, { pipeline: knownPipeline, jobs: [] }, { ...knownPipeline, status: 'failed', updated_at: 'b' }, jobs, 1).length;
              break;
            }
            case 'readJobTraceTail': {
              // A job's log is anything at all: what the client hands over still becomes lines.
              const tail = await api.readJobTraceTail('acme/platform/web', '8120400055', { tailBytes: 64, maxBytes: 512 });
              if (tail.kind === 'tail') expect(Array.isArray(gitlabTraceLines(tail.text, { fromStart: tail.fromStart }))).toBe(true);
              break;
            }
            case 'playJob':
              await api.playJob('acme/platform/web', '8120400055');
              break;
            case 'retryPipeline':
              await api.retryPipeline('acme/platform/web', '9007199254740993');
              break;
          }
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(GitlabApiError);
        }
      }),
      { numRuns: 1500 },
    );
    // Enough answers got through to the events for the second half of the property to mean something.
    expect(events).toBeGreaterThan(50);
  });

  it('keeps every id past 2^53 that a listing carries, digit for digit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 2n ** 53n, max: 10n ** 39n }), async (id) => {
        const text = `[{"id":${id},"status":"success","web_url":"https://gitlab.com/a/b/-/pipelines/${id}"}]`;
        const api = createGitlabApi({ fetch: async () => new Response(text) });
        const listing = await api.listPipelines('a/b');
        expect(listing.kind === 'listed' && listing.pipelines[0]!.id).toBe(id.toString());
      }),
      { numRuns: 300 },
    );
  });
});
