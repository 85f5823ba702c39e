/** "Test connection" for a GitLab source against the simulated API: one sentence for each outcome. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testGitlabConnection } from '../../src/client/sources/gitlab/connectionTest.js';
import { createGitlabApi } from '../../src/providers/gitlab/api/client.js';
import { startGitlabSimulator, type GitlabSimulator } from '../../src/sim/gitlab/simulator.js';

let sim: GitlabSimulator;
beforeAll(async () => {
  sim = await startGitlabSimulator({ scenario: false, autoAdvance: false });
});
afterAll(() => sim.stop());

it('says GitLab sees every project, subgroups and private ones included with a token', async () => {
  const api = createGitlabApi({ baseUrl: sim.apiUrl!, token: 'sim-read-token' });
  expect(await testGitlabConnection({ api, repositories: ['acme/web', 'acme/platform/api', 'acme/mobile'] })).toEqual({ ok: true, message: 'GitLab answered and sees all 3 projects.' });
});

it('names the projects it cannot see without a token', async () => {
  const result = await testGitlabConnection({ api: createGitlabApi({ baseUrl: sim.apiUrl! }), repositories: ['acme/web', 'acme/mobile'] });
  expect(result).toEqual({ ok: false, message: 'GitLab answered, but cannot see acme/mobile: check the paths, or use a token with the read_api scope of a member.' });
});

it('says why a refused token or an unreachable host fails', async () => {
  const refused = await testGitlabConnection({ api: createGitlabApi({ baseUrl: sim.apiUrl!, token: 'wrong' }), repositories: ['acme/web'] });
  expect(refused.ok).toBe(false);
  expect(refused.message).toMatch(/^Cannot read the project acme\/web: GitLab refused the token: it is wrong, expired or revoked/);
  const nowhere = await testGitlabConnection({ api: createGitlabApi({ baseUrl: 'http://127.0.0.1:9/api/v4' }), repositories: ['acme/web'] });
  expect(nowhere.message).toMatch(/^Could not reach GitLab: GitLab API unreachable at http:\/\/127\.0\.0\.1:9\/api\/v4/);
});
