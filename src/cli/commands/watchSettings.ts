/**
 * What `watch`'s flags mean: a list of sources that replaces the settings file's, and the tokens
 * the flags (or $BUILDBELL_*_TOKEN) give, held in memory under references those sources name.
 * Flags only map onto settings here; turning settings into running sources is the client
 * session's job, the same for the desktop app. Fails with a UsageError naming the flag and the fix.
 */
import { settingsSchema, defaultSourceName, type Settings, type SourceSettings } from '../../client/settings/schema.js';
import { streamUrl } from '../../client/sources/relay/streamUrl.js';
import { describeZodError } from '../../core/validation.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { parseDuration } from '../units.js';

/** The flags that choose and configure sources. */
export type WatchValues = {
  relay?: string; token?: string; insecure?: boolean;
  'cirrus-repos'?: string; 'cirrus-token'?: string; endpoint?: string;
  'github-repos'?: string; 'github-token'?: string; 'github-api'?: string;
  'gitlab-repos'?: string; 'gitlab-token'?: string; 'gitlab-api'?: string;
  repos?: string; provider?: string; interval?: string;
  demo?: boolean; seed?: string; speed?: string;
};

/** References of the tokens the flags give, as the sources built from flags name them. */
export const FLAG_TOKEN_REFS = { relay: 'flag:relay', cirrus: 'flag:cirrus', github: 'flag:github', gitlab: 'flag:gitlab' } as const;

export interface WatchSettings {
  readonly settings: Settings;
  /** True when the flags chose the sources: the file's own list must not be overwritten by them. */
  readonly sourcesFromFlags: boolean;
  /** Tokens from flags and $BUILDBELL_*_TOKEN, by reference. */
  readonly tokens: ReadonlyMap<string, string>;
}

const PROVIDERS = ['cirrus', 'github', 'gitlab'] as const;
type PollProvider = (typeof PROVIDERS)[number];

export function watchSettings(values: WatchValues, fileSettings: Settings, io: Pick<CliIo, 'env'>): WatchSettings {
  const given = {
    relay: values.token ?? io.env['BUILDBELL_TOKEN'],
    cirrus: values['cirrus-token'] ?? io.env['BUILDBELL_CIRRUS_TOKEN'],
    github: values['github-token'] ?? io.env['BUILDBELL_GITHUB_TOKEN'],
    gitlab: values['gitlab-token'] ?? io.env['BUILDBELL_GITLAB_TOKEN'],
  };
  const tokens = new Map<string, string>();
  for (const kind of ['relay', ...PROVIDERS] as const) if (given[kind]) tokens.set(FLAG_TOKEN_REFS[kind], given[kind]);
  const ref = (kind: keyof typeof FLAG_TOKEN_REFS) => (given[kind] ? { tokenRef: FLAG_TOKEN_REFS[kind] } : {});

  if (values.provider !== undefined && !(PROVIDERS as readonly string[]).includes(values.provider)) {
    throw new UsageError(`--provider takes cirrus, github or gitlab, not '${values.provider}'`);
  }
  const pollSeconds = values.interval === undefined ? undefined : Math.round(checked(() => parseDuration(values.interval!, '--interval')) / 1000);
  if (pollSeconds !== undefined && pollSeconds < 15) throw new UsageError('--interval takes 15s or more: the CIs ask for restraint');
  const interval = pollSeconds === undefined ? {} : { pollIntervalSeconds: pollSeconds };

  const sources: Record<string, unknown>[] = [];
  if (values.relay !== undefined) {
    if (!given.relay) throw new UsageError("--relay needs --token <token> (or $BUILDBELL_TOKEN): a token from the relay's operator");
    const insecure = values.insecure === true;
    // `--relay a,b`: instances of one relay on one database, tried in order.
    const [url, ...fallbackUrls] = values.relay.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
      checked(() => streamUrl(item, undefined, { insecure }));
      return httpUrl(item);
    });
    if (url === undefined) throw new UsageError("--relay takes the relay's base URL, like ws://127.0.0.1:8787");
    sources.push({
      kind: 'relay', name: defaultSourceName({ kind: 'relay', url }), url, ...(fallbackUrls.length > 0 ? { fallbackUrls } : {}), ...(insecure ? { insecure } : {}), ...ref('relay'),
      ...(given.cirrus ? { cirrusTokenRef: FLAG_TOKEN_REFS.cirrus } : {}),
      ...(values.endpoint ? { cirrusEndpoint: values.endpoint } : {}),
      ...(given.github ? { githubTokenRef: FLAG_TOKEN_REFS.github } : {}),
      ...(values['github-api'] ? { githubApiUrl: values['github-api'] } : {}),
      ...(given.gitlab ? { gitlabTokenRef: FLAG_TOKEN_REFS.gitlab } : {}),
      ...(values['gitlab-api'] ? { gitlabApiUrl: values['gitlab-api'] } : {}),
    });
  }
  const polled: Partial<Record<PollProvider, string>> = {
    ...(values['cirrus-repos'] !== undefined ? { cirrus: values['cirrus-repos'] } : {}),
    ...(values['github-repos'] !== undefined ? { github: values['github-repos'] } : {}),
    ...(values['gitlab-repos'] !== undefined ? { gitlab: values['gitlab-repos'] } : {}),
  };
  if (values.repos !== undefined) {
    // A token of one CI and none of the others says which is meant; --provider settles any doubt.
    const provider = (values.provider as PollProvider | undefined) ?? (given.github && !given.cirrus ? 'github' : given.gitlab && !given.cirrus ? 'gitlab' : 'cirrus');
    if (polled[provider] !== undefined) throw new UsageError(`--repos and --${provider}-repos both name ${provider} repositories: use one`);
    polled[provider] = values.repos;
  }
  for (const provider of PROVIDERS) {
    const list = polled[provider];
    if (list === undefined) continue;
    const repositories = list.split(',').map((repository) => repository.trim()).filter(Boolean);
    if (repositories.length === 0) throw new UsageError(`--${provider}-repos takes ${provider === 'gitlab' ? 'group/project,…' : 'owner/name,owner/name'}, not '${list}'`);
    const api = provider === 'cirrus' ? (values.endpoint ? { endpoint: values.endpoint } : {}) : values[`${provider}-api`] ? { apiUrl: values[`${provider}-api`] } : {};
    sources.push({ kind: provider, name: defaultSourceName({ kind: provider }), repositories, ...ref(provider), ...api, ...interval });
  }
  if (values.demo) {
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    const speed = values.speed === undefined ? undefined : Number(values.speed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes a whole number');
    if (speed !== undefined && !(speed > 0)) throw new UsageError('--speed takes a positive number, e.g. 2 for twice as fast');
    const provider = (values.provider as PollProvider | undefined) ?? (given.github && !given.cirrus ? 'github' : 'cirrus');
    sources.push({ kind: 'demo', name: defaultSourceName({ kind: 'demo', provider }), provider, ...(seed === undefined ? {} : { seed }), ...(speed === undefined ? {} : { speed }) });
  }

  if (sources.length === 0) {
    return { settings: withFlagOverrides(fileSettings, given, values, interval), sourcesFromFlags: false, tokens };
  }
  const parsed = settingsSchema.safeParse({ ...fileSettings, sources });
  if (!parsed.success) throw new UsageError(`the flags describe an invalid source: ${describeZodError(parsed.error)}`);
  return { settings: parsed.data, sourcesFromFlags: true, tokens };
}

/**
 * The file's sources with what the flags say about them: the flags' tokens for those that name
 * no environment variable of their own (`--token` for a relay, `--github-token` for GitHub polling
 * and a relay's GitHub runs), and `--endpoint`, `--github-api`, `--gitlab-api`, `--interval`,
 * `--insecure` for the sources of their kind.
 */
function withFlagOverrides(
  settings: Settings,
  given: Readonly<Record<keyof typeof FLAG_TOKEN_REFS, string | undefined>>,
  values: WatchValues,
  interval: { pollIntervalSeconds?: number },
): Settings {
  const sources = settings.sources.map((source): SourceSettings => {
    switch (source.kind) {
      case 'relay':
        return {
          ...source,
          ...(given.relay && source.tokenEnv === undefined ? { tokenRef: FLAG_TOKEN_REFS.relay } : {}),
          ...(given.cirrus && source.cirrusTokenEnv === undefined ? { cirrusTokenRef: FLAG_TOKEN_REFS.cirrus } : {}),
          ...(given.github && source.githubTokenEnv === undefined ? { githubTokenRef: FLAG_TOKEN_REFS.github } : {}),
          ...(given.gitlab && source.gitlabTokenEnv === undefined ? { gitlabTokenRef: FLAG_TOKEN_REFS.gitlab } : {}),
          ...(values.endpoint ? { cirrusEndpoint: values.endpoint } : {}),
          ...(values['github-api'] ? { githubApiUrl: values['github-api'] } : {}),
          ...(values['gitlab-api'] ? { gitlabApiUrl: values['gitlab-api'] } : {}),
          ...(values.insecure ? { insecure: true } : {}),
        };
      case 'cirrus':
        return { ...source, ...tokenOf('cirrus', source), ...(values.endpoint ? { endpoint: values.endpoint } : {}), ...interval };
      case 'github':
      case 'gitlab': {
        const api = values[`${source.kind}-api`];
        return { ...source, ...tokenOf(source.kind, source), ...(api ? { apiUrl: api } : {}), ...interval };
      }
      case 'demo':
        return source;
    }
  });
  return { ...settings, sources };

  function tokenOf(kind: 'cirrus' | 'github' | 'gitlab', source: { tokenEnv?: string | undefined }) {
    return given[kind] && source.tokenEnv === undefined ? { tokenRef: FLAG_TOKEN_REFS[kind] } : {};
  }
}

/** The settings keep a relay as its http(s) base URL; `--relay` also takes ws(s)://. */
function httpUrl(relay: string): string {
  const url = new URL(relay);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  return url.toString().replace(/\/$/, '');
}

/** Runs `make`, turning its error into a UsageError (a bad flag value). */
function checked<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
