/** Pages on GitLab (FACTS.md, "Links"): under the project's URL, on gitlab.com or a self-managed host. */

/** `<project URL>/-/pipelines/<id>`. */
export function gitlabPipelineUrl(projectUrl: string, pipelineId: string): string {
  return `${projectUrl.replace(/\/+$/, '')}/-/pipelines/${encodeURIComponent(pipelineId)}`;
}

/** `<project URL>/-/jobs/<id>`. */
export function gitlabJobUrl(projectUrl: string, jobId: string): string {
  return `${projectUrl.replace(/\/+$/, '')}/-/jobs/${encodeURIComponent(jobId)}`;
}
