/**
 * The web hosts whose pages buildbell opens: the public CI services, and the servers the settings'
 * sources point at (GitHub Enterprise Server, a self-managed GitLab). A build's link comes from a
 * payload, which a relay or a CI's webhook hands in, so the opener allows only these hosts: a
 * crafted event cannot make a click open an arbitrary site. Both shells' openers use this list,
 * read again at each click, so it follows the settings as they change.
 */
import type { SourceSettings } from './settings/schema.js';
import { githubWebHost } from './sources/github/actions.js';

/** Cirrus CI's web app, GitHub and GitLab's public service. */
export const PUBLIC_CI_HOSTS: readonly string[] = ['cirrus-ci.com', 'github.com', 'gitlab.com'];

/**
 * The hosts (with a port when not the default one, as `URL.host` has it) whose pages may be
 * opened for these sources: the public ones, GitHub Enterprise Server from a GitHub source's
 * `apiUrl` or a relay's `githubApiUrl`, and a self-managed GitLab from a GitLab source's `apiUrl`
 * or a relay's `gitlabApiUrl`.
 */
export function openableHosts(sources: readonly SourceSettings[]): string[] {
  return [...new Set([...PUBLIC_CI_HOSTS, ...sources.flatMap(sourceWebHosts)])];
}

function sourceWebHosts(source: SourceSettings): string[] {
  switch (source.kind) {
    case 'github':
      return githubHost(source.apiUrl);
    case 'relay':
      // A relay may carry GitHub Enterprise's runs and a self-managed GitLab's pipelines; each API URL names its server.
      return [...githubHost(source.githubApiUrl), ...gitlabHost(source.gitlabApiUrl)];
    case 'gitlab':
      return gitlabHost(source.apiUrl);
    default:
      // Cirrus has one web app whatever the endpoint (another endpoint is the simulator's); the demo links to the public hosts.
      return [];
  }
}

/** api.github.com → github.com, `https://ghe.acme.dev/api/v3` → ghe.acme.dev; nothing for no URL (the public one). */
function githubHost(apiUrl: string | undefined): string[] {
  return apiUrl === undefined || !URL.canParse(apiUrl) ? [] : [githubWebHost(apiUrl)];
}

/** GitLab serves its API under its web host: `https://gitlab.acme.dev/api/v4` → gitlab.acme.dev. */
function gitlabHost(apiUrl: string | undefined): string[] {
  return apiUrl === undefined || !URL.canParse(apiUrl) ? [] : [new URL(apiUrl).host];
}
