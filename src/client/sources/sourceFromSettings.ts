/**
 * The source the settings describe, with its token fetched from the encrypted store. A source
 * that cannot start (a relay without its token) is a sentence saying what to do, for the tray
 * and the window, not a crash.
 */
import path from 'node:path';
import type { Logger } from '../../core/ports.js';
import { createCirrusApi } from '../../providers/cirrus/api/client.js';
import { createGithubApi } from '../../providers/github/api/client.js';
import type { Settings } from '../settings/schema.js';
import type { TokenStore } from '../settings/tokenStore.js';
import { createCursorFile } from './relay/cursorFile.js';
import type { SourceChoice } from './startSource.js';
import { streamUrl } from './relay/streamUrl.js';
import type { ConnectionTestTarget } from './connectionTest.js';

/** The settings name a source that cannot start; the message says what to do. */
export class SourceSetupError extends Error {
  override readonly name = 'SourceSetupError';
}

export interface SourceChoiceContext {
  readonly tokens: TokenStore;
  /** The folder of the settings file; the relay cursor is kept beside it. */
  readonly folder: string;
  readonly logger: Logger;
  /** The Cirrus GraphQL endpoint; default Cirrus's own. */
  readonly cirrusEndpoint?: string;
}

export async function sourceChoiceFromSettings(source: Settings['source'], context: SourceChoiceContext): Promise<SourceChoice> {
  const endpoint = context.cirrusEndpoint ? { endpoint: context.cirrusEndpoint } : {};
  switch (source.kind) {
    case 'demo':
      return { kind: 'demo' };
    case 'relay': {
      const token = source.tokenRef === undefined ? undefined : await context.tokens.get(source.tokenRef);
      if (token === undefined) throw new SourceSetupError('The relay needs its token: open Settings… and enter the token the relay’s operator gave you.');
      const insecure = source.insecure === true;
      const url = streamUrl(source.url, undefined, { insecure });
      // Tokens for Approve and Re-run, when the user gave them; without them the tray offers no actions.
      const cirrusToken = source.cirrusTokenRef === undefined ? undefined : await context.tokens.get(source.cirrusTokenRef);
      const githubToken = source.githubTokenRef === undefined ? undefined : await context.tokens.get(source.githubTokenRef);
      return {
        kind: 'relay',
        url,
        token,
        insecure,
        cursor: createCursorFile(path.join(context.folder, 'relay-cursor.json'), url, context.logger),
        ...(cirrusToken ? { cirrus: createCirrusApi({ ...endpoint, token: cirrusToken }) } : {}),
        ...(githubToken ? { github: createGithubApi({ token: githubToken }) } : {}),
      };
    }
    case 'cirrus': {
      // `token` is the plain-text field of older settings files; the runtime moves it into the store.
      const token = source.tokenRef === undefined ? source.token : await context.tokens.get(source.tokenRef);
      return {
        kind: 'cirrus',
        api: createCirrusApi({ ...endpoint, ...(token ? { token } : {}) }),
        repositories: source.repositories,
        intervalMs: source.pollIntervalSeconds * 1000,
      };
    }
    case 'github': {
      const token = source.tokenRef === undefined ? undefined : await context.tokens.get(source.tokenRef);
      return {
        kind: 'github',
        api: createGithubApi({ ...(source.apiUrl ? { baseUrl: source.apiUrl } : {}), ...(token ? { token } : {}) }),
        repositories: source.repositories,
        intervalMs: source.pollIntervalSeconds * 1000,
      };
    }
  }
}

/** The form's source for "Test connection", with API clients built here so the shell never needs a provider. */
export function connectionTestSource(
  source: { kind: 'demo' } | { kind: 'relay'; url: string; insecure?: boolean } | { kind: 'cirrus' | 'github'; repositories: readonly string[] },
  token: string | undefined,
  endpoints: { readonly cirrusEndpoint?: string; readonly githubApiUrl?: string },
): ConnectionTestTarget {
  const withToken = token ? { token } : {};
  switch (source.kind) {
    case 'demo':
      return source;
    case 'relay':
      return { kind: 'relay', url: source.url, token, insecure: source.insecure === true };
    case 'github':
      return { kind: 'github', api: createGithubApi({ ...(endpoints.githubApiUrl ? { baseUrl: endpoints.githubApiUrl } : {}), ...withToken }), repositories: source.repositories };
    case 'cirrus':
      return { kind: 'cirrus', api: createCirrusApi({ ...(endpoints.cirrusEndpoint ? { endpoint: endpoints.cirrusEndpoint } : {}), ...withToken }), repositories: source.repositories };
  }
}
