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
 * `apiUrl` or a relay's `githubApiUrl`, and a self-managed GitLab from a GitLab source's `apiUrl`.
 */
export function openableHosts(sources: readonly SourceSettings[]): string[] {
  const hosts = new Set(PUBLIC_CI_HOSTS);
  for (const source of sources) {
    const host = sourceWebHost(source);
    if (host !== undefined) hosts.add(host);
  }
  return [...hosts];
}

function sourceWebHost(source: SourceSettings): string | undefined {
  try {
    switch (source.kind) {
      case 'github':
        return source.apiUrl === undefined ? undefined : githubWebHost(source.apiUrl);
      case 'relay':
        return source.githubApiUrl === undefined ? undefined : githubWebHost(source.githubApiUrl);
      case 'gitlab':
        // GitLab serves its API under the web host: https://gitlab.acme.dev/api/v4 → gitlab.acme.dev.
        return source.apiUrl === undefined ? undefined : new URL(source.apiUrl).host;
      default:
        // Cirrus has one web app whatever the endpoint (another endpoint is the simulator's); the demo links to the public hosts.
        return undefined;
    }
  } catch {
    return undefined; // The settings schema checked the URL; a URL that still fails to parse allows nothing.
  }
}
