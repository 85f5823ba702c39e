/**
 * The failures every CI API client has in common (an HTTP error status, no answer at all, an
 * answer that is not what was asked for), written once and made once per provider. Each provider
 * keeps its own family, so `instanceof CirrusApiError` still catches Cirrus failures only and a
 * message still says `CirrusHttpError` or `GithubNetworkError`; only the code is shared.
 */

/**
 * The provider's word in class names: `Cirrus` makes `CirrusApiError`, `CirrusHttpError`, ... The
 * leaves' `name` is typed with it, so a `CirrusHttpError` is not taken for a `GithubHttpError`.
 */
export function defineApiErrors<const Prefix extends string>(prefix: Prefix) {
  /** Base of every failure talking to the provider's API. */
  class ApiError extends Error {
    override readonly name: string = `${prefix}ApiError`;
  }

  /** The server answered with a non-2xx HTTP status (one the client has no finer error for). `status` is that status. */
  class HttpError extends ApiError {
    override readonly name: `${Prefix}HttpError` = `${prefix}HttpError`;
    constructor(
      readonly status: number,
      message: string,
    ) {
      super(message);
    }
  }

  /** The request never got an answer (connection refused, DNS, reset, timeout). */
  class NetworkError extends ApiError {
    override readonly name: `${Prefix}NetworkError` = `${prefix}NetworkError`;
  }

  /** The answer is not the JSON the client asked for (a proxy's HTML page, a changed schema). */
  class ResponseError extends ApiError {
    override readonly name: `${Prefix}ResponseError` = `${prefix}ResponseError`;
  }

  return { ApiError, HttpError, NetworkError, ResponseError };
}
