/** Pages on GitLab (FACTS.md, "Links"): under the project's URL, on gitlab.com or a self-managed host. */

/** `<project URL>/-/pipelines/<id>`. */
export function gitlabPipelineUrl(projectUrl: string, pipelineId: string): string {
  return `${projectUrl.replace(/\/+$/, '')}/-/pipelines/${encodeURIComponent(pipelineId)}`;
}

/** `<project URL>/-/jobs/<id>`. */
export function gitlabJobUrl(projectUrl: string, jobId: string): string {
  return `${projectUrl.replace(/\/+$/, '')}/-/jobs/${encodeURIComponent(jobId)}`;
}

/** gitlab.com's web pages and REST API base; a self-managed instance has its own host. */
export const GITLAB_WEB = 'https://gitlab.com';
export const GITLAB_API = 'https://gitlab.com/api/v4';

/** The web root of an API base: `https://git.example.com/api/v4` → `https://git.example.com`. */
export function gitlabWebOfApi(apiUrl: string): string {
  const url = new URL(apiUrl);
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api\/v4$/, '')}`;
}

/** Where a personal access token is made (User settings → Access tokens). */
export function gitlabTokenSettingsUrl(web: string = GITLAB_WEB): string {
  return `${web.replace(/\/+$/, '')}/-/user_settings/personal_access_tokens`;
}
