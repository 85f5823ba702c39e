/**
 * What can go wrong talking to the GitHub REST API, as typed errors a caller can tell apart: the
 * poller pauses on a rate limit and backs off on the rest, a click shows a permission error's advice.
 */
import { defineApiErrors } from '../../apiErrors.js';
import { githubTokenSettingsUrl } from '../links.js';

const shared = defineApiErrors('Github');

/** Base of every GitHub API failure. */
export const GithubApiError = shared.ApiError;
export type GithubApiError = InstanceType<typeof GithubApiError>;
/** A non-2xx answer that is neither a rate limit nor a refusal for lack of rights. */
export const GithubHttpError = shared.HttpError;
export type GithubHttpError = InstanceType<typeof GithubHttpError>;
/** The request never got an answer (connection refused, DNS, reset, timeout). */
export const GithubNetworkError = shared.NetworkError;
export type GithubNetworkError = InstanceType<typeof GithubNetworkError>;
/** The answer is not the JSON this client asked for (a proxy's page, a changed schema). */
export const GithubResponseError = shared.ResponseError;
export type GithubResponseError = InstanceType<typeof GithubResponseError>;

/** Out of requests until `until` (epoch ms): primary limit exhausted or a secondary limit hit. */
export class GithubRateLimitError extends GithubApiError {
  override readonly name = 'GithubRateLimitError';
  constructor(
    readonly until: number,
    detail: string,
  ) {
    super(`GitHub rate limit reached (${detail}); requests resume at ${new Date(until).toISOString()}`);
  }
}

/**
 * GitHub answered 403 or 404: the token is missing, or lacks the Actions permission for this
 * repository (GitHub answers 404 rather than admit a private repository exists). The message
 * names the permission and where to grant it, because that is the only fix.
 */
export class GithubPermissionError extends GithubApiError {
  override readonly name = 'GithubPermissionError';
  constructor(
    /** What was attempted, in words: `approve run 42 of acme/web`. */
    readonly action: string,
    /** The fine-grained token permission needed: `Actions: Read` or `Actions: Read and write`. */
    readonly needs: 'Actions: Read' | 'Actions: Read and write',
    readonly hadToken: boolean,
    /** What GitHub said, verbatim. */
    readonly detail: string,
    web?: string,
  ) {
    super(
      `Cannot ${action}: ${hadToken ? `the GitHub token lacks the permission ${needs} for this repository` : `no GitHub token was given, and this needs one with ${needs}`}` +
        ` (GitHub said: ${detail}). Create a fine-grained token with ${needs} for the repository at ${githubTokenSettingsUrl(web)}` +
        ' (or a classic token with the repo scope) and pass it with --github-token or $BUILDBELL_GITHUB_TOKEN.',
    );
  }
}
