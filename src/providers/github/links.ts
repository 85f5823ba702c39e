/**
 * Pages on github.com a notification or menu item opens, and the REST API's default base. Both
 * are configurable for GitHub Enterprise Server and the simulator, so links are built from the
 * `html_url`s GitHub sends wherever there is one.
 */

export const GITHUB_WEB = 'https://github.com';
export const GITHUB_API = 'https://api.github.com';

/**
 * A run's page. Job payloads carry only `run_id`, so the page is built from the repository's own
 * `html_url` (right on GitHub Enterprise Server too).
 */
export function githubRunUrl(repositoryHtmlUrl: string, runId: string): string {
  return `${repositoryHtmlUrl.replace(/\/+$/, '')}/actions/runs/${encodeURIComponent(runId)}`;
}

/** Where a fine-grained token is made (Settings → Developer settings → Personal access tokens). */
export function githubTokenSettingsUrl(web: string = GITHUB_WEB): string {
  return `${web.replace(/\/+$/, '')}/settings/personal-access-tokens/new`;
}
