/** The window's "Test connection": a source as the form describes it, with its API client built here so the shell never needs a provider. */
import { createCirrusApi } from '../../providers/cirrus/api/client.js';
import { createGithubApi } from '../../providers/github/api/client.js';
import type { ConnectionTestTarget } from '../sources/connectionTest.js';

export function connectionTestSource(
  source: { kind: 'demo' } | { kind: 'relay'; url: string; insecure?: boolean } | { kind: 'cirrus' | 'github'; repositories: readonly string[] },
  token: string | undefined,
  endpoints: { readonly cirrusEndpoint?: string; readonly githubApiUrl?: string },
): ConnectionTestTarget {
  const withToken = token ? { token } : {};
  switch (source.kind) {
    case 'demo':
      return source;
    case 'relay':
      return { kind: 'relay', url: source.url, token, insecure: source.insecure === true };
    case 'github':
      return { kind: 'github', api: createGithubApi({ ...(endpoints.githubApiUrl ? { baseUrl: endpoints.githubApiUrl } : {}), ...withToken }), repositories: source.repositories };
    case 'cirrus':
      return { kind: 'cirrus', api: createCirrusApi({ ...(endpoints.cirrusEndpoint ? { endpoint: endpoints.cirrusEndpoint } : {}), ...withToken }), repositories: source.repositories };
  }
}

