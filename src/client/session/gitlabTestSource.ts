/**
 * The window's "Test connection" for a GitLab source: its API client built here, like
 * connectionTestSource.ts does for the others, so the Electron shell never imports a provider.
 * Loaded on demand, as the GitLab poller is (sourceFromSettings.ts).
 */
import type { ConnectionTestResult } from '../sources/connectionTest.js';

export async function testGitlabSource(source: { readonly repositories: readonly string[]; readonly apiUrl?: string | undefined }, token: string | undefined): Promise<ConnectionTestResult> {
  const { createGitlabApi } = await import('../../providers/gitlab/api/client.js');
  const { testGitlabConnection } = await import('../sources/gitlab/connectionTest.js');
  let api;
  try {
    api = createGitlabApi({ ...(source.apiUrl ? { baseUrl: source.apiUrl } : {}), ...(token ? { token } : {}) });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  return testGitlabConnection({ api, repositories: source.repositories });
}
