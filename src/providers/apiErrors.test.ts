import { describe, expect, expectTypeOf, it } from 'vitest';
import { CirrusApiError, CirrusGraphqlError, CirrusHttpError, CirrusNetworkError, CirrusPermissionError, CirrusResponseError } from './cirrus/api/errors.js';
import { GithubApiError, GithubHttpError, GithubNetworkError, GithubPermissionError, GithubRateLimitError, GithubResponseError } from './github/api/errors.js';

describe('the shared API errors, one family per provider', () => {
  it.each([
    [new CirrusHttpError(502, 'bad gateway'), 'CirrusHttpError', CirrusApiError, GithubApiError],
    [new CirrusNetworkError('refused'), 'CirrusNetworkError', CirrusApiError, GithubApiError],
    [new CirrusResponseError('html'), 'CirrusResponseError', CirrusApiError, GithubApiError],
    [new CirrusGraphqlError(['boom']), 'CirrusGraphqlError', CirrusApiError, GithubApiError],
    [new CirrusPermissionError('approve build 1', 'WRITE', true, 'acme', 'denied'), 'CirrusPermissionError', CirrusApiError, GithubApiError],
    [new GithubHttpError(500, 'oops'), 'GithubHttpError', GithubApiError, CirrusApiError],
    [new GithubNetworkError('reset'), 'GithubNetworkError', GithubApiError, CirrusApiError],
    [new GithubResponseError('html'), 'GithubResponseError', GithubApiError, CirrusApiError],
    [new GithubRateLimitError(0, 'primary'), 'GithubRateLimitError', GithubApiError, CirrusApiError],
    [new GithubPermissionError('approve run 1 of acme/web', 'Actions: Read and write', false, 'Not Found'), 'GithubPermissionError', GithubApiError, CirrusApiError],
  ])('%s is named %s, is its provider\'s API error and not the other\'s', (error, name, own, other) => {
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(own);
    expect(error).not.toBeInstanceOf(other);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
  });

  it('keeps the status and the message of an HTTP error', () => {
    const error = new GithubHttpError(503, 'GitHub API answered 503');
    expect([error.status, error.message]).toEqual([503, 'GitHub API answered 503']);
    expect(new CirrusHttpError(404, 'x')).not.toBeInstanceOf(GithubHttpError);
  });

  it('gives the leaves a provider-specific name type', () => {
    expectTypeOf(new CirrusHttpError(1, '').name).toEqualTypeOf<'CirrusHttpError'>();
    expectTypeOf(new GithubNetworkError('').name).toEqualTypeOf<'GithubNetworkError'>();
    expectTypeOf<CirrusHttpError>().not.toEqualTypeOf<GithubHttpError>();
  });
});
