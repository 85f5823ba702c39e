/**
 * "Test connection" in a source's editor: the editor's values, with the source's stored token (or
 * the variable its entry names) when the form brings none, so a saved source can be tested without
 * typing its token again (GitLab included, through its API client in client/session/gitlabTestSource.ts).
 * Settings the window does not edit (a relay's `insecure`, a Cirrus
 * endpoint) come from the saved entry, as they would when it runs.
 */
import type { RequestOf, TokenPurpose } from '../core/ipc/contract.js';
import { connectionTestSource } from '../client/session/connectionTestSource.js';
import { createTokenResolver } from '../client/session/tokens.js';
import type { SourceSettings } from '../client/settings/schema.js';
import type { TokenStore } from '../client/settings/tokenStore.js';
import { testConnection, type ConnectionTestResult } from '../client/sources/connectionTest.js';
import { testGitlabSource } from '../client/session/gitlabTestSource.js';
import type { DesktopRuntime } from './runtime.js';
import { tokenEnvsOf, tokenRefsOf } from './sourceForm.js';

export interface SourceTesting {
  readonly runtime: Pick<DesktopRuntime, 'settings'>;
  readonly tokens: TokenStore;
  /** The Cirrus GraphQL endpoint when the saved entry names none. Default: the public API. */
  readonly cirrusEndpoint?: string;
  /** Where `tokenEnv` names are read. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Tries the editor's source and answers in one sentence. */
export async function testSourceConnection({ original, source: form }: RequestOf<'testConnection'>, context: SourceTesting): Promise<ConnectionTestResult> {
  if (form.kind === 'demo') return testConnection({ kind: 'demo' });
  const saved = context.runtime.settings().sources.find((entry) => entry.name === original);
  const same = saved?.kind === form.kind ? saved : undefined;
  const removesToken = form.kind !== 'relay' && (form.removeTokens ?? []).length > 0;
  const token = form.token ?? (removesToken ? undefined : await storedToken(same, 'token', context));
  if (form.kind === 'gitlab') return testGitlabSource(form, token);
  if (form.kind === 'relay') {
    const insecure = same?.kind === 'relay' && same.url === form.url && same.insecure === true;
    return testConnection(connectionTestSource({ kind: 'relay', url: form.url, insecure }, token, {}));
  }
  const cirrusEndpoint = (same?.kind === 'cirrus' ? same.endpoint : undefined) ?? context.cirrusEndpoint;
  return testConnection(connectionTestSource({ kind: form.kind, repositories: form.repositories }, token, {
    ...(cirrusEndpoint ? { cirrusEndpoint } : {}),
    ...(form.kind === 'github' && form.apiUrl ? { githubApiUrl: form.apiUrl } : {}),
  }));
}

/** The token the saved entry has for `purpose`: stored, plain in an older file, or from its variable. */
async function storedToken(entry: SourceSettings | undefined, purpose: TokenPurpose, context: SourceTesting): Promise<string | undefined> {
  if (entry === undefined) return undefined;
  if (entry.kind === 'cirrus' && entry.token !== undefined) return entry.token;
  const resolver = createTokenResolver({ store: context.tokens, env: context.env ?? process.env });
  return resolver.resolve({ ref: tokenRefsOf(entry)[purpose], env: tokenEnvsOf(entry)[purpose] }, `the token of “${entry.name}”`);
}
