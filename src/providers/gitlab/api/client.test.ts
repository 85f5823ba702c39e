import { describe, expect, it } from 'vitest';
import { createGitlabApi, type FetchLike } from './client.js';
import { GitlabHttpError, GitlabNetworkError, GitlabPermissionError, GitlabRateLimitError, GitlabResponseError } from './errors.js';
import { gitlabLimitedUntil, readGitlabRateLimit } from './rateLimit.js';

const NOW = 1_800_000_000_000;
const pipeline = (id: string | number, extra: Record<string, unknown> = {}) =>
  `{"id":${id},"iid":3,"project_id":55120987,"sha":"abc","ref":"main","status":"failed","source":"push","created_at":"2026-11-30T09:12:04.000Z","updated_at":"2026-11-30T09:15:41.123Z","web_url":"https://gitlab.com/acme/platform/web/-/pipelines/${id}"${Object.entries(extra).map(([k, v]) => `,"${k}":${JSON.stringify(v)}`).join('')}}`;

/** A fetch that answers each request with the next canned answer and records what was asked. */
function fakeFetch(...answers: Array<{ status?: number; body?: string; headers?: Record<string, string> }>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const next = answers.shift() ?? { status: 500 };
    return new Response(next.body ?? '', { status: next.status ?? 200, headers: next.headers ?? {} });
  };
  return { fetch, calls };
}

const api = (fetch: FetchLike, token: string | undefined = 'glpat-secret') => createGitlabApi({ fetch, clock: () => NOW, ...(token ? { token } : {}) });

describe('requests', () => {
  it('lists pipelines updated after a time, newest update first, with PRIVATE-TOKEN and the path URL-encoded', async () => {
    const { fetch, calls } = fakeFetch({ body: `[${pipeline(1)}]`, headers: { 'ratelimit-remaining': '1999', 'ratelimit-limit': '2000', 'ratelimit-reset': '1800000060' } });
    const listing = await api(fetch).listPipelines('acme/platform/web', { updatedAfter: '2026-11-30T09:00:00.000Z', perPage: 5 });
    expect(calls[0]!.url).toBe('https://gitlab.com/api/v4/projects/acme%2Fplatform%2Fweb/pipelines?order_by=updated_at&sort=desc&per_page=5&updated_after=2026-11-30T09%3A00%3A00.000Z');
    expect(calls[0]!.init.headers).toMatchObject({ 'private-token': 'glpat-secret' });
    expect(listing).toMatchObject({ kind: 'listed', rateLimit: { limit: 2000, remaining: 1999, resetAt: 1_800_000_060_000 } });
  });

  it('sends no token header without a token, and asks a self-managed base', async () => {
    const { fetch, calls } = fakeFetch({ body: '[]' });
    await createGitlabApi({ fetch, baseUrl: 'https://git.example.com/api/v4/' }).listPipelineJobs('55120987', '42', { scope: ['manual', 'failed'] });
    expect(calls[0]!.url).toBe('https://git.example.com/api/v4/projects/55120987/pipelines/42/jobs?per_page=100&scope%5B%5D=manual&scope%5B%5D=failed');
    expect(Object.keys(calls[0]!.init.headers as object)).not.toContain('private-token');
  });

  it('keeps ids past 2^53 digit for digit', async () => {
    const { fetch } = fakeFetch({ body: `[${pipeline('9007199254740993')}]` });
    const listing = await api(fetch).listPipelines('acme/web');
    expect(listing.kind === 'listed' && listing.pipelines[0]!.id).toBe('9007199254740993');
  });

  it('posts play and retry to the documented paths', async () => {
    const { fetch, calls } = fakeFetch({ status: 200, body: '{}' }, { status: 201, body: '{}' });
    await api(fetch).playJob('acme/web', '8120400055');
    await api(fetch).retryPipeline('acme/web', '9007199254740993');
    expect(calls.map((call) => `${call.init.method} ${call.url}`)).toEqual([
      'POST https://gitlab.com/api/v4/projects/acme%2Fweb/jobs/8120400055/play',
      'POST https://gitlab.com/api/v4/projects/acme%2Fweb/pipelines/9007199254740993/retry',
    ]);
  });

  it('refuses what cannot be a project, an id or a base URL before any request', async () => {
    const { fetch, calls } = fakeFetch();
    await expect(api(fetch).listPipelines('no-slash')).rejects.toThrow(TypeError);
    await expect(api(fetch).playJob('acme/web', '1/../2')).rejects.toThrow(TypeError);
    expect(calls).toEqual([]);
    expect(() => createGitlabApi({ baseUrl: 'ftp://gitlab.com/api/v4' })).toThrow(TypeError);
  });

  it('refuses . and .. as a group or project, and keeps a path with dots inside one URL segment', async () => {
    const { fetch, calls } = fakeFetch({ status: 404, body: '{}' });
    await expect(api(fetch).listPipelines('../../admin')).rejects.toThrow(TypeError);
    expect(calls).toEqual([]);
    await api(fetch).listPipelines('acme/..web');
    expect(calls[0]!.url).toMatch(/^https:\/\/gitlab\.com\/api\/v4\/projects\/acme%2F\.\.web\/pipelines\?/);
  });
});

describe('failures name the problem', () => {
  it('404 on a listing: the project is not found or not visible', async () => {
    const { fetch } = fakeFetch({ status: 404, body: '{"message":"404 Project Not Found"}' });
    expect((await api(fetch).listPipelines('acme/secret')).kind).toBe('not_found');
  });

  it.each([
    ['401: the token was refused', 401, '{"message":"401 Unauthorized"}', 'token', /GitLab refused the token: it is wrong, expired or revoked.*api scope/],
    ['403 insufficient_scope: the scope', 403, '{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}', 'scope', /lacks the api scope \(GitLab said: The request requires higher privileges/],
    ['403: the role', 403, '{"message":"403 Forbidden"}', 'role', /at least the Developer role/],
    ['404: not found or not visible', 404, '{"message":"404 Project Not Found"}', 'not_found', /no such project, pipeline or job, or the token cannot see it/],
  ])('%s', async (_name, status, body, refusal, message) => {
    const { fetch } = fakeFetch({ status, body });
    const error = await api(fetch).retryPipeline('acme/web', '42').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitlabPermissionError);
    expect(error).toMatchObject({ refusal, scope: 'api' });
    expect((error as Error).message).toMatch(/^Cannot retry the failed jobs of pipeline 42 of acme\/web: /);
    expect((error as Error).message).toMatch(message);
  });

  it('without a token, says one is needed and with which scope', async () => {
    const { fetch } = fakeFetch({ status: 401, body: '{"message":"401 Unauthorized"}' });
    const error = await api(fetch, '').playJob('acme/web', '7').catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/no GitLab token was given, and this needs one with the api scope.*user_settings\/personal_access_tokens/);
  });

  it('an unplayable job is no permission problem', async () => {
    const { fetch } = fakeFetch({ status: 400, body: '{"message":"400 Bad request - Unplayable Job"}' });
    const error = await api(fetch).playJob('acme/web', '7').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitlabHttpError);
    expect((error as GitlabHttpError).status).toBe(400);
    expect((error as Error).message).toContain('Unplayable Job');
  });

  it('429: a rate-limit error until Retry-After, whatever the body', async () => {
    const { fetch } = fakeFetch({ status: 429, body: 'Retry later\n', headers: { 'content-type': 'text/plain', 'retry-after': '30', 'ratelimit-remaining': '0' } });
    const error = await api(fetch).listPipelines('acme/web').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitlabRateLimitError);
    expect((error as GitlabRateLimitError).until).toBe(NOW + 30_000);
  });

  it('an answer that is not JSON, or not the expected shape, is a response error naming the field', async () => {
    const { fetch } = fakeFetch({ body: '<html>proxy</html>' }, { body: `[${pipeline(1, { status: 'exploded' })}]` }, { body: `[${pipeline(1, { web_url: 'javascript:alert(1)' })}]` });
    await expect(api(fetch).listPipelines('acme/web')).rejects.toThrow(GitlabResponseError);
    await expect(api(fetch).listPipelines('acme/web')).rejects.toThrow(/0\.status/);
    await expect(api(fetch).listPipelines('acme/web')).rejects.toThrow(/0\.web_url/);
  });

  it('no answer at all is a network error naming the base', async () => {
    const fetch: FetchLike = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    await expect(api(fetch).getProject('acme/web')).rejects.toThrow(GitlabNetworkError);
    await expect(api(fetch).getProject('acme/web')).rejects.toThrow(/unreachable at https:\/\/gitlab\.com\/api\/v4: connect ECONNREFUSED/);
  });
});

describe('rate-limit headers', () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it('reads limit, remaining and reset (epoch seconds to ms); missing ones are null', () => {
    expect(readGitlabRateLimit(headers({ 'ratelimit-limit': '2000', 'ratelimit-remaining': '12', 'ratelimit-reset': '1700000000' }))).toEqual({ limit: 2000, remaining: 12, resetAt: 1_700_000_000_000 });
    expect(readGitlabRateLimit(headers({ 'ratelimit-remaining': 'lots' }))).toEqual({ limit: null, remaining: null, resetAt: null });
  });

  it('a 429 waits for Retry-After, else the reset, else a minute; nothing else is a limit', () => {
    expect(gitlabLimitedUntil(429, headers({ 'retry-after': '30', 'ratelimit-reset': '9999999999' }), 1000)).toBe(31_000);
    expect(gitlabLimitedUntil(429, headers({ 'ratelimit-reset': '100' }), 1000)).toBe(100_000);
    expect(gitlabLimitedUntil(429, headers({}), 1000)).toBe(61_000);
    expect(gitlabLimitedUntil(403, headers({ 'retry-after': '30' }), 1000)).toBeNull();
  });
});

describe('the end of a job log', () => {
  it('asks for the last bytes with Range and a text answer, and says a 206 from the start is the whole log', async () => {
    const { fetch, calls } = fakeFetch(
      { status: 206, body: 'tail of it\nlast\n', headers: { 'content-range': 'bytes 9000-9015/9016', 'ratelimit-remaining': '1998' } },
      { status: 206, body: 'short log\n', headers: { 'content-range': 'bytes 0-9/10' } },
    );
    const tail = await api(fetch).readJobTraceTail('acme/web', '8120400055', { tailBytes: 16 });
    expect(calls[0]!.url).toBe('https://gitlab.com/api/v4/projects/acme%2Fweb/jobs/8120400055/trace');
    expect(calls[0]!.init.headers).toMatchObject({ range: 'bytes=-16', accept: 'text/plain', 'private-token': 'glpat-secret' });
    expect(tail).toEqual({ kind: 'tail', text: 'tail of it\nlast\n', fromStart: false, rateLimit: { limit: null, remaining: 1998, resetAt: null } });
    expect(await api(fetch).readJobTraceTail('acme/web', '8120400055', { tailBytes: 16 })).toMatchObject({ kind: 'tail', fromStart: true });
  });

  it('keeps only the end of a whole log sent with 200, and knows a log shorter than the tail is whole', async () => {
    const { fetch } = fakeFetch({ body: `${'x'.repeat(100)}\nthe end\n` }, { body: 'all of it\n' });
    expect(await api(fetch).readJobTraceTail('acme/web', '1', { tailBytes: 10 })).toMatchObject({ kind: 'tail', text: 'x\nthe end\n', fromStart: false });
    expect(await api(fetch).readJobTraceTail('acme/web', '1', { tailBytes: 10 })).toMatchObject({ kind: 'tail', text: 'all of it\n', fromStart: true });
  });

  it('a log longer than the read cap is no tail (what was read is not its end)', async () => {
    const { fetch } = fakeFetch({ body: 'y'.repeat(5000) });
    expect(await api(fetch).readJobTraceTail('acme/web', '1', { tailBytes: 10, maxBytes: 1000 })).toMatchObject({ kind: 'unavailable', why: 'too_long' });
  });

  it.each([401, 403, 404])('%i: no log for this token, which is no error', async (status) => {
    const { fetch } = fakeFetch({ status, body: `{"message":"${status} Forbidden"}` });
    expect(await api(fetch).readJobTraceTail('acme/web', '1')).toMatchObject({ kind: 'unavailable', why: 'refused' });
  });

  it('416 (an empty log has no last bytes) is an empty tail; 429 is the rate limit; 500 an HTTP error', async () => {
    const { fetch } = fakeFetch({ status: 416 }, { status: 429, body: 'Retry later\n', headers: { 'retry-after': '20' } }, { status: 500, body: '{"message":"500 Internal Server Error"}' });
    expect(await api(fetch).readJobTraceTail('acme/web', '1')).toMatchObject({ kind: 'tail', text: '', fromStart: true });
    await expect(api(fetch).readJobTraceTail('acme/web', '1')).rejects.toMatchObject({ name: 'GitlabRateLimitError', until: NOW + 20_000 });
    await expect(api(fetch).readJobTraceTail('acme/web', '1')).rejects.toThrow(GitlabHttpError);
  });

  it('refuses a job id that is not digits before any request', async () => {
    const { fetch, calls } = fakeFetch();
    await expect(api(fetch).readJobTraceTail('acme/web', '1/../../secrets')).rejects.toThrow(TypeError);
    expect(calls).toEqual([]);
  });
});
