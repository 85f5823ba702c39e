/** The GitHub REST client against the simulated API on 127.0.0.1: ETags and 304s, rate limits, actions and their refusals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubSimulator, type GithubSimulator } from '../../src/sim/github/simulator.js';
import { createGithubApi } from '../../src/providers/github/api/client.js';
import { GithubPermissionError, GithubRateLimitError } from '../../src/providers/github/api/errors.js';
import { limitedUntil, readRateLimit } from '../../src/providers/github/api/rateLimit.js';

let sim: GithubSimulator;
const web = { owner: 'acme', name: 'web' };

beforeAll(async () => {
  sim = await startGithubSimulator({ scenario: false, autoAdvance: false, rateLimit: { anonymous: 3 } });
});
afterAll(() => sim.stop());

describe('listRuns against the simulated REST API', () => {
  it('lists runs newest first with an ETag, then answers 304 to the same ETag at no cost', async () => {
    const api = createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    const first = await api.listRuns(web);
    if (first.kind !== 'modified') throw new Error(first.kind);
    expect(first.runs.length).toBeGreaterThan(0);
    expect(first.runs[0]!.repository).toMatchObject({ name: 'web', owner: { login: 'acme' } });
    expect(first.etag).toMatch(/^W\/"/);
    const again = await api.listRuns(web, { etag: first.etag });
    expect(again.kind).toBe('not_modified');
    expect(again.rateLimit.remaining).toBe(first.rateLimit.remaining);
    sim.startRun({ repository: 'acme/web', fail: false });
    const changed = await api.listRuns(web, { etag: first.etag });
    expect(changed.kind).toBe('modified');
  });

  it('says not_found for a private repository without a token', async () => {
    const api = createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    expect((await api.listRuns({ owner: 'acme', name: 'mobile' })).kind).toBe('modified');
    const anonymous = createGithubApi({ baseUrl: sim.apiUrl! });
    expect((await anonymous.listRuns({ owner: 'acme', name: 'mobile' })).kind).toBe('not_found');
  });

  it('turns an exhausted limit into a rate-limit error with the reset time', async () => {
    const anonymous = createGithubApi({ baseUrl: sim.apiUrl! });
    const error = await (async () => {
      for (let i = 0; i < 5; i += 1) await anonymous.listRuns(web);
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GithubRateLimitError);
    expect((error as GithubRateLimitError).until).toBeGreaterThan(Date.now());
  });
});

describe('actions', () => {
  it('approves a fork run and re-runs failed jobs with a WRITE token', async () => {
    const api = createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-write-token' });
    const fork = sim.startRun({ repository: 'acme/web', fork: true });
    sim.advance(1_000);
    expect(fork.conclusion).toBe('action_required');
    await api.approveRun(web, String(fork.id));
    expect(fork.status).toBe('queued');

    const failing = sim.startRun({ repository: 'acme/web', fail: true });
    sim.advance(60_000);
    expect(failing.conclusion).toBe('failure');
    await api.rerunFailedJobs(web, String(failing.id));
    expect(failing).toMatchObject({ runAttempt: 2, status: 'queued' });
  });

  it('says which permission is missing when the token can only read', async () => {
    const api = createGithubApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
    const fork = sim.startRun({ repository: 'acme/web', fork: true });
    sim.advance(1_000);
    const error = await api.approveRun(web, String(fork.id)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GithubPermissionError);
    expect((error as Error).message).toMatch(/lacks the permission Actions: Read and write.*Resource not accessible/);
    expect((error as Error).message).toContain('--github-token');
  });

  it('refuses an endpoint that is not http(s) at once', () => {
    expect(() => createGithubApi({ baseUrl: 'ftp://example.com' })).toThrow(TypeError);
  });
});

describe('rate-limit headers', () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it('reads limit, remaining and reset (epoch seconds to ms)', () => {
    expect(readRateLimit(headers({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '1700000000' })))
      .toEqual({ limit: 5000, remaining: 4999, resetAt: 1_700_000_000_000 });
  });

  it('prefers Retry-After, then an exhausted limit, and treats a bare 403 as no limit', () => {
    expect(limitedUntil(403, headers({ 'retry-after': '30' }), 1000)).toBe(31_000);
    expect(limitedUntil(429, headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100' }), 1000)).toBe(100_000);
    expect(limitedUntil(403, headers({ 'x-ratelimit-remaining': '12' }), 1000)).toBeNull();
    expect(limitedUntil(200, headers({ 'retry-after': '30' }), 1000)).toBeNull();
  });
});
