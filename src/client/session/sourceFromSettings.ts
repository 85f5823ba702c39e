/**
 * The one place a source's settings become a running source: its tokens resolved, its API clients
 * built, its relay cursor file chosen. Both shells reach sources only through the session, which
 * calls this.
 *
 * Each kind's modules are loaded only when a source of that kind exists: `watch` on a relay runs
 * for weeks and should not carry the pollers' and API clients' code and schemas (issue #16).
 */
import path from 'node:path';
import type { SourceSettings } from '../settings/schema.js';
import type { PreparedSource, SourceDependencies } from '../sources/contract.js';
import type { DemoStarter } from '../sources/demo/source.js';
import { createCursorFile } from '../sources/relay/cursorFile.js';
import { streamUrl } from '../sources/relay/streamUrl.js';
import { SourceSetupError, type TokenResolver } from './tokens.js';

export interface SourceBuildContext extends SourceDependencies {
  readonly tokens: TokenResolver;
  /** The folder of the settings file: each relay's cursor file is kept in it. */
  readonly folder: string;
  /** Starts the demo's simulator; without it a demo source cannot start. */
  readonly demo?: DemoStarter;
}

export async function prepareSourceFromSettings(source: SourceSettings, context: SourceBuildContext): Promise<PreparedSource> {
  const deps = { logger: context.logger, clock: context.clock };
  const whose = (token: string) => `the ${token} of “${source.name}”`;
  switch (source.kind) {
    case 'demo': {
      if (!context.demo) throw new SourceSetupError('the demo cannot run here');
      const { prepareDemoSource } = await import('../sources/demo/source.js');
      const feed = await context.demo({
        provider: source.provider ?? 'cirrus',
        logger: context.logger,
        ...(source.seed === undefined ? {} : { seed: source.seed }),
        ...(source.speed === undefined ? {} : { speed: source.speed }),
      });
      return prepareDemoSource(feed);
    }
    case 'relay': {
      const token = await context.tokens.resolve({ ref: source.tokenRef, env: source.tokenEnv }, whose('relay token'));
      if (token === undefined) throw new SourceSetupError(`“${source.name}” needs the relay token its operator gave you: open Settings… and enter it (or name an environment variable with "tokenEnv")`);
      const insecure = source.insecure === true;
      const url = checked(() => streamUrl(source.url, undefined, { insecure }));
      for (const fallback of source.fallbackUrls ?? []) checked(() => streamUrl(fallback, undefined, { insecure }));
      // Tokens for Approve and Re-run, when the user gave them; without them the tray offers no actions.
      const cirrusToken = await context.tokens.resolve({ ref: source.cirrusTokenRef, env: source.cirrusTokenEnv }, whose('Cirrus token'));
      const githubToken = await context.tokens.resolve({ ref: source.githubTokenRef, env: source.githubTokenEnv }, whose('GitHub token'));
      const gitlabToken = await context.tokens.resolve({ ref: source.gitlabTokenRef, env: source.gitlabTokenEnv }, whose('GitLab token'));
      const { prepareRelaySource } = await import('../sources/relay/source.js');
      const createGitlabApi = gitlabToken ? (await import('../../providers/gitlab/api/client.js')).createGitlabApi : undefined;
      const createCirrusApi = cirrusToken ? (await import('../../providers/cirrus/api/client.js')).createCirrusApi : undefined;
      const createGithubApi = githubToken ? (await import('../../providers/github/api/client.js')).createGithubApi : undefined;
      return prepareRelaySource(
        {
          kind: 'relay',
          url,
          ...(source.fallbackUrls ? { fallbackUrls: source.fallbackUrls } : {}),
          token,
          insecure,
          cursor: createCursorFile(path.join(context.folder, relayCursorFileName(url)), url, context.logger),
          ...(cirrusToken && createCirrusApi ? { cirrus: createCirrusApi({ token: cirrusToken, ...(source.cirrusEndpoint ? { endpoint: source.cirrusEndpoint } : {}) }) } : {}),
          ...(githubToken && createGithubApi ? { github: checked(() => createGithubApi({ token: githubToken, ...(source.githubApiUrl ? { baseUrl: source.githubApiUrl } : {}) })) } : {}),
          ...(source.githubApiUrl ? { githubApiUrl: source.githubApiUrl } : {}),
          ...(gitlabToken && createGitlabApi ? { gitlab: checked(() => createGitlabApi({ token: gitlabToken, ...(source.gitlabApiUrl ? { baseUrl: source.gitlabApiUrl } : {}) })) } : {}),
          ...(source.gitlabApiUrl ? { gitlabApiUrl: source.gitlabApiUrl } : {}),
        },
        deps,
      );
    }
    case 'cirrus': {
      // `token` is the plain-text field of older settings files; the desktop app moves it into its store.
      const token = source.token ?? (await context.tokens.resolve({ ref: source.tokenRef, env: source.tokenEnv }, whose('Cirrus token')));
      const { prepareCirrusPoller } = await import('../sources/cirrus/source.js');
      const { createCirrusApi } = await import('../../providers/cirrus/api/client.js');
      return prepareCirrusPoller(
        {
          kind: 'cirrus',
          api: createCirrusApi({ ...(source.endpoint ? { endpoint: source.endpoint } : {}), ...(token ? { token } : {}) }),
          repositories: source.repositories,
          intervalMs: source.pollIntervalSeconds * 1000,
        },
        deps,
      );
    }
    case 'github': {
      const token = await context.tokens.resolve({ ref: source.tokenRef, env: source.tokenEnv }, whose('GitHub token'));
      const { prepareGithubPoller } = await import('../sources/github/source.js');
      const { createGithubApi } = await import('../../providers/github/api/client.js');
      return prepareGithubPoller(
        {
          kind: 'github',
          api: checked(() => createGithubApi({ ...(source.apiUrl ? { baseUrl: source.apiUrl } : {}), ...(token ? { token } : {}) })),
          ...(source.apiUrl ? { apiUrl: source.apiUrl } : {}),
          repositories: source.repositories,
          intervalMs: source.pollIntervalSeconds * 1000,
        },
        deps,
      );
    }
    case 'gitlab': {
      const token = await context.tokens.resolve({ ref: source.tokenRef, env: source.tokenEnv }, whose('GitLab token'));
      const { prepareGitlabPoller } = await import('../sources/gitlab/source.js');
      const { createGitlabApi } = await import('../../providers/gitlab/api/client.js');
      return prepareGitlabPoller(
        {
          kind: 'gitlab',
          api: checked(() => createGitlabApi({ ...(source.apiUrl ? { baseUrl: source.apiUrl } : {}), ...(token ? { token } : {}) })),
          ...(source.apiUrl ? { apiUrl: source.apiUrl } : {}),
          repositories: source.repositories,
          intervalMs: source.pollIntervalSeconds * 1000,
        },
        deps,
      );
    }
  }
}

/**
 * One cursor file per relay, named after it: "relay-cursor-relay.acme.dev.json". Seqs of one
 * relay mean nothing to another, so two relays never share a file.
 */
export function relayCursorFileName(url: string): string {
  const parsed = new URL(url);
  const name = `${parsed.host}${parsed.pathname.replace(/\/(stream\/?)?$/, '')}`.replace(/[^A-Za-z0-9.-]+/g, '_');
  return `relay-cursor-${name}.json`;
}

/** The cursor file a relay source keeps, or undefined for other kinds (and a relay URL that cannot be one). */
export function cursorFileOf(source: SourceSettings): string | undefined {
  if (source.kind !== 'relay') return undefined;
  try {
    return relayCursorFileName(streamUrl(source.url, undefined, { insecure: source.insecure === true }));
  } catch {
    return undefined;
  }
}

/** A bad URL in the settings is a setup problem of that source, not a crash. */
function checked<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new SourceSetupError((error as Error).message);
  }
}

