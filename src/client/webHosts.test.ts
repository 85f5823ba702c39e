import { describe, expect, it } from 'vitest';
import { settingsSchema } from './settings/schema.js';
import { openableHosts, PUBLIC_CI_HOSTS } from './webHosts.js';

const sources = (list: unknown[]) => settingsSchema.parse({ sources: list }).sources;

describe('the hosts whose pages may be opened', () => {
  it('are the public CI services when no source names a server of its own', () => {
    expect(openableHosts(sources([{ kind: 'demo' }, { kind: 'cirrus', repositories: ['acme/web'], endpoint: 'http://127.0.0.1:8788/graphql' }, { kind: 'github', repositories: ['acme/web'] }]))).toEqual(PUBLIC_CI_HOSTS);
    expect(PUBLIC_CI_HOSTS).toEqual(['cirrus-ci.com', 'github.com', 'gitlab.com']);
  });

  it('add GitHub Enterprise Server (a GitHub source or a relay’s GitHub API) and a self-managed GitLab (a GitLab source or a relay’s GitLab API), port included', () => {
    const hosts = openableHosts(sources([
      { kind: 'github', name: 'work GitHub', repositories: ['acme/web'], apiUrl: 'https://ghe.acme.dev/api/v3' },
      { kind: 'relay', url: 'https://relay.acme.dev', githubApiUrl: 'https://GHE2.acme.dev:8443/api/v3', gitlabApiUrl: 'https://git.acme.dev/api/v4' },
      { kind: 'gitlab', repositories: ['acme/platform/api'], apiUrl: 'https://gitlab.acme.dev/api/v4' },
      { kind: 'github', name: 'public', repositories: ['me/x'], apiUrl: 'https://api.github.com' },
    ]));
    expect(hosts).toEqual([...PUBLIC_CI_HOSTS, 'ghe.acme.dev', 'ghe2.acme.dev:8443', 'git.acme.dev', 'gitlab.acme.dev']);
  });
});
