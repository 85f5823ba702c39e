/**
 * What can go wrong talking to the Cirrus API, as typed errors a caller can tell apart: the CLI
 * prints a permission error's advice, the poller backs off on the rest.
 */
import { defineApiErrors } from '../../apiErrors.js';
import { CIRRUS_WEB, cirrusOwnerSettingsUrl } from '../links.js';

const shared = defineApiErrors('Cirrus');

/** Base of every Cirrus API failure. */
export const CirrusApiError = shared.ApiError;
export type CirrusApiError = InstanceType<typeof CirrusApiError>;
/** The server answered with a non-2xx HTTP status. `status` is that status. */
export const CirrusHttpError = shared.HttpError;
export type CirrusHttpError = InstanceType<typeof CirrusHttpError>;
/** The request never got an answer (connection refused, DNS, reset, timeout). */
export const CirrusNetworkError = shared.NetworkError;
export type CirrusNetworkError = InstanceType<typeof CirrusNetworkError>;
/** The answer is not the JSON this client asked for (a proxy's HTML page, a changed schema). */
export const CirrusResponseError = shared.ResponseError;
export type CirrusResponseError = InstanceType<typeof CirrusResponseError>;

/** GraphQL `errors`: the query ran and the API refused or failed part of it. */
export class CirrusGraphqlError extends CirrusApiError {
  override readonly name: string = 'CirrusGraphqlError';
  constructor(readonly messages: readonly string[]) {
    super(`Cirrus API error: ${messages.join('; ')}`);
  }
}

/** The build does not exist, or the token (or its absence) does not let us see it. */
export class CirrusNotFoundError extends CirrusApiError {
  override readonly name = 'CirrusNotFoundError';
}

/** Nothing to do: e.g. a re-run asked for a build whose tasks all passed. */
export class CirrusNothingToDoError extends CirrusApiError {
  override readonly name = 'CirrusNothingToDoError';
}

/**
 * The token is missing, not accepted, or lacks WRITE for this repository. The message says which
 * token to create and where, because that is the only fix.
 */
export class CirrusPermissionError extends CirrusApiError {
  override readonly name = 'CirrusPermissionError';
  constructor(
    /** What was attempted, in words: `approve build 123`. */
    readonly action: string,
    /** The permission the action needs: READ to see a private repository, WRITE to change it. */
    readonly needs: 'READ' | 'WRITE',
    readonly hadToken: boolean,
    /** The repository owner, when known, to name the settings page exactly. */
    readonly owner: string | undefined,
    /** What the API said, verbatim. */
    readonly detail: string,
  ) {
    super(permissionAdvice(action, needs, hadToken, owner, detail));
  }
}

function permissionAdvice(
  action: string,
  needs: 'READ' | 'WRITE',
  hadToken: boolean,
  owner: string | undefined,
  detail: string,
): string {
  const why = hadToken
    ? `the Cirrus token given lacks ${needs} permission for this repository`
    : `no Cirrus token was given, and this needs one with ${needs} permission`;
  const where = owner === undefined ? `${CIRRUS_WEB}/settings/github/<owner>` : cirrusOwnerSettingsUrl(owner);
  return (
    `Cannot ${action}: ${why} (Cirrus said: ${detail}). ` +
    `Create a scoped token with ${needs} permission for the repository at ${where} ` +
    `and pass it with --cirrus-token or the BUILDBELL_CIRRUS_TOKEN environment variable.`
  );
}

const PERMISSION_WORDS = /permission|not authori[sz]ed|unauthori[sz]ed|forbidden|access denied|unauthenticated/i;
const PERMISSION_CODES = new Set(['PERMISSION_DENIED', 'FORBIDDEN', 'UNAUTHENTICATED', 'UNAUTHORIZED']);

/** True when a GraphQL error reads as a refusal for lack of rights rather than a failure. */
export function isPermissionMessage(message: string, code?: unknown): boolean {
  return (typeof code === 'string' && PERMISSION_CODES.has(code)) || PERMISSION_WORDS.test(message);
}
