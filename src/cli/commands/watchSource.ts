/**
 * Which source `buildbell watch` reads, from its flags, the environment and the settings file:
 * a relay (with API clients for Approve and Re-run), a poller of the Cirrus or GitHub API, or the
 * demo. Fails with a UsageError that names the flag and the fix.
 */
import type { Logger } from '../../core/ports.js';
import { createCirrusApi } from '../../providers/cirrus/api/client.js';
import { createGithubApi } from '../../providers/github/api/client.js';
import type { Settings } from '../../client/settings/schema.js';
import { createCursorFile } from '../../client/sources/relay/cursorFile.js';
import type { SourceChoice } from '../../client/sources/startSource.js';
import { streamUrl } from '../../client/sources/relay/streamUrl.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { parseDuration } from '../units.js';

/** The flags that choose and configure the source. */
export type WatchValues = {
  relay?: string; token?: string; 'cirrus-token'?: string; repos?: string; endpoint?: string;
  interval?: string; demo?: boolean; seed?: string; speed?: string; insecure?: boolean;
  'github-token'?: string; 'github-api'?: string; provider?: string;
};

export function chooseWatchSource(values: WatchValues, settings: Settings, io: CliIo, cursorPath: string, logger: Logger): SourceChoice {
  const cirrusToken = values['cirrus-token'] ?? io.env['BUILDBELL_CIRRUS_TOKEN'];
  const api = () => createCirrusApi({
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(cirrusToken ? { token: cirrusToken } : {}),
  });
  const githubToken = values['github-token'] ?? io.env['BUILDBELL_GITHUB_TOKEN'];
  const githubApi = (token = githubToken) => createGithubApi({
    ...(values['github-api'] ? { baseUrl: values['github-api'] } : {}),
    ...(token ? { token } : {}),
  });
  if (values.provider !== undefined && values.provider !== 'cirrus' && values.provider !== 'github') {
    throw new UsageError(`--provider takes cirrus or github, not '${values.provider}'`);
  }
  // A GitHub token and no Cirrus one says which CI is meant; --provider settles any doubt.
  const provider = values.provider ?? (githubToken && !cirrusToken ? 'github' : 'cirrus');
  const chosen = [values.relay !== undefined, values.repos !== undefined, values.demo === true].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('choose one source: --relay, --repos or --demo');

  if (values.relay !== undefined) {
    const token = values.token ?? io.env['BUILDBELL_TOKEN'];
    if (!token) throw new UsageError('--relay needs --token <token> (or $BUILDBELL_TOKEN): a token from the relay\'s operator');
    const insecure = values.insecure === true;
    const url = checked(() => streamUrl(values.relay!, undefined, { insecure }));
    return {
      kind: 'relay', url, token, insecure, cursor: createCursorFile(cursorPath, url, logger),
      ...(cirrusToken ? { cirrus: api() } : {}), ...(githubToken ? { github: checked(() => githubApi()) } : {}),
    };
  }
  if (values.repos !== undefined) {
    const repositories = values.repos.split(',').map((repo) => repo.trim()).filter(Boolean);
    const bad = repositories.find((repo) => !/^[^/\s]+\/[^/\s]+$/.test(repo));
    if (repositories.length === 0 || bad !== undefined) throw new UsageError(`--repos takes owner/name,owner/name; '${bad ?? values.repos}' is not one`);
    const intervalMs = values.interval === undefined ? 60_000 : checked(() => parseDuration(values.interval!, '--interval'));
    if (provider === 'github') return { kind: 'github', api: checked(() => githubApi()), repositories, intervalMs };
    return { kind: 'cirrus', api: checked(api), repositories, intervalMs };
  }
  if (values.demo || settings.source.kind === 'demo') {
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    const speed = values.speed === undefined ? undefined : Number(values.speed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes a whole number');
    if (speed !== undefined && !(speed > 0)) throw new UsageError('--speed takes a positive number, e.g. 2 for twice as fast');
    return { kind: 'demo', provider, ...(seed === undefined ? {} : { seed }), ...(speed === undefined ? {} : { speed }) };
  }
  if (settings.source.kind === 'cirrus') {
    const { repositories, token, pollIntervalSeconds } = settings.source;
    const fromSettings = token ?? cirrusToken;
    return {
      kind: 'cirrus',
      api: createCirrusApi({ ...(values.endpoint ? { endpoint: values.endpoint } : {}), ...(fromSettings ? { token: fromSettings } : {}) }),
      repositories,
      intervalMs: pollIntervalSeconds * 1000,
    };
  }
  if (settings.source.kind === 'github') {
    const { repositories, apiUrl, pollIntervalSeconds } = settings.source;
    const api = checked(() => createGithubApi({
      ...((values['github-api'] ?? apiUrl) ? { baseUrl: values['github-api'] ?? apiUrl } : {}),
      ...(githubToken ? { token: githubToken } : {}),
    }));
    return { kind: 'github', api, repositories, intervalMs: pollIntervalSeconds * 1000 };
  }
  const token = values.token ?? io.env['BUILDBELL_TOKEN'];
  if (!token) throw new UsageError(`the settings choose the relay ${settings.source.url}; give its token with --token or $BUILDBELL_TOKEN`);
  const insecure = values.insecure === true || settings.source.insecure === true;
  const relayUrl = settings.source.url;
  const url = checked(() => streamUrl(relayUrl, undefined, { insecure }));
  return {
    kind: 'relay', url, token, insecure, cursor: createCursorFile(cursorPath, url, logger),
    ...(cirrusToken ? { cirrus: api() } : {}), ...(githubToken ? { github: checked(() => githubApi()) } : {}),
  };
}

/** Runs `make`, turning its error into a UsageError (a bad flag value). */
function checked<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
