/**
 * What can go wrong talking to the GitLab REST API, as typed errors a caller can tell apart: the
 * poller pauses on a rate limit and backs off on the rest, a click shows a permission error's
 * advice, which names the token scope or the project role that is missing.
 */
import { defineApiErrors } from '../../apiErrors.js';
import { gitlabTokenSettingsUrl } from '../links.js';

const shared = defineApiErrors('Gitlab');

/** Base of every GitLab API failure. */
export const GitlabApiError = shared.ApiError;
export type GitlabApiError = InstanceType<typeof GitlabApiError>;
/** A non-2xx answer that is neither a rate limit nor a refusal for lack of rights. */
export const GitlabHttpError = shared.HttpError;
export type GitlabHttpError = InstanceType<typeof GitlabHttpError>;
/** The request never got an answer (connection refused, DNS, reset, timeout). */
export const GitlabNetworkError = shared.NetworkError;
export type GitlabNetworkError = InstanceType<typeof GitlabNetworkError>;
/** The answer is not the JSON this client asked for (a proxy's page, a changed schema). */
export const GitlabResponseError = shared.ResponseError;
export type GitlabResponseError = InstanceType<typeof GitlabResponseError>;

/** Out of requests until `until` (epoch ms): GitLab answered 429. */
export class GitlabRateLimitError extends GitlabApiError {
  override readonly name = 'GitlabRateLimitError';
  constructor(
    readonly until: number,
    detail: string,
  ) {
    super(`GitLab rate limit reached (${detail}); requests resume at ${new Date(until).toISOString()}`);
  }
}

/** The token scope an operation needs: `read_api` to read pipelines and jobs, `api` to play and retry. */
export type GitlabScope = 'read_api' | 'api';

/**
 * Why GitLab refused: `token` (401: no token where one is needed, or a wrong, expired or revoked
 * one), `scope` (403 insufficient_scope: the token lacks the scope), `role` (403: the token's
 * user lacks the project role), `not_found` (404: no such project, pipeline or job, or a private
 * project the caller cannot see: GitLab does not tell the two apart).
 */
export type GitlabRefusal = 'token' | 'scope' | 'role' | 'not_found';

/**
 * GitLab answered 401, 403 or 404. The message says what to change, because that is the only fix:
 * the scope a new token needs, or the role to ask the project's maintainers for.
 */
export class GitlabPermissionError extends GitlabApiError {
  override readonly name = 'GitlabPermissionError';
  constructor(
    /** What was attempted, in words: `retry the failed jobs of pipeline 42 of acme/web`. */
    readonly action: string,
    readonly refusal: GitlabRefusal,
    readonly scope: GitlabScope,
    readonly hadToken: boolean,
    /** What GitLab said, verbatim (cut). */
    readonly detail: string,
    web?: string,
  ) {
    super(`Cannot ${action}: ${reason(refusal, scope, hadToken)} (GitLab said: ${detail}).${advice(refusal, scope, hadToken, web)}`);
  }
}

function reason(refusal: GitlabRefusal, scope: GitlabScope, hadToken: boolean): string {
  switch (refusal) {
    case 'token':
      return hadToken ? 'GitLab refused the token: it is wrong, expired or revoked' : `no GitLab token was given, and this needs one with the ${scope} scope`;
    case 'scope':
      return `the GitLab token lacks the ${scope} scope`;
    case 'role':
      return scope === 'api'
        ? "the GitLab token's user lacks the role for this: running a manual job or retrying jobs needs at least the Developer role in the project (and, on a protected branch or environment, the right to deploy to it)"
        : "the GitLab token's user lacks the role for this: reading a private project's pipelines needs at least the Reporter role";
    case 'not_found':
      return hadToken
        ? `GitLab knows no such project, pipeline or job, or the token cannot see it (a private project needs a token of a member, with the ${scope} scope)`
        : 'GitLab knows no such project, or it is private and no token was given';
  }
}

function advice(refusal: GitlabRefusal, scope: GitlabScope, hadToken: boolean, web: string | undefined): string {
  if (refusal === 'role' || (refusal === 'not_found' && hadToken)) return '';
  return ` Create a personal access token with the ${scope} scope at ${gitlabTokenSettingsUrl(web)} and give it to buildbell as its GitLab token (--gitlab-token or $BUILDBELL_GITLAB_TOKEN).`;
}
