/**
 * The settings file, one schema. Every field has a default, so `{}` (or no file at all) is a
 * valid configuration: a demo feed with the notifications that ask the user to act.
 *
 * Objects are strict: a misspelt key ("mutedRepos") is an error that names it, not a setting
 * silently ignored.
 */
import { z } from 'zod';
import { CLOCK_TIME_PATTERN } from '../../core/engine/filters.js';
import { DEFAULT_TRANSITION_TOGGLES } from '../../core/engine/transition.js';

const slugSchema = z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected a repository as owner/name');
const globSchema = z.string().min(1).max(200);
const clockTimeSchema = z.string().regex(CLOCK_TIME_PATTERN, 'expected a time of day as HH:MM (24-hour), e.g. 22:00');

/** The name the user gave a source: how the tray, the terminal and errors refer to it ("work relay"). */
const sourceNameSchema = z.string().trim().min(1, 'give the source a name, e.g. "work relay"').max(60);
/** Where a token is kept in the desktop app's encrypted store: the entry's name, never the token itself. */
const tokenRefSchema = z.string().min(1).max(200);
/** An environment variable that holds a token, e.g. WORK_GITHUB_TOKEN: for `watch`, and the app started from a shell. */
const tokenEnvSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'expected the name of an environment variable, e.g. WORK_GITHUB_TOKEN');
/** A GitLab project path, subgroups included: group/project or group/sub/project. */
const projectPathSchema = z.string().regex(/^[^/\s]+(?:\/[^/\s]+)+$/, 'expected a project as group/project (subgroups allowed)');

/** Events from a buildbell relay over WebSocket. */
export const relaySourceSchema = z.strictObject({
  kind: z.literal('relay'),
  name: sourceNameSchema,
  /** The relay's base URL, `https:` (or `http:` for a relay on this machine). */
  url: z.url({ protocol: /^https?$/, error: 'expected the relay URL, e.g. https://relay.example.com' }),
  /**
   * Other instances of the same relay (several relays on one PostgreSQL database), tried in order
   * when the one in use fails; the client resumes from its cursor on any of them. Optional.
   */
  fallbackUrls: z.array(z.url({ protocol: /^https?$/, error: 'expected a relay URL, e.g. https://relay-b.example.com' })).max(10).optional(),
  /**
   * Accept an `http:` URL to another machine, where the relay token travels in cleartext (a
   * trusted network only). Optional; default false: only `https:`, or `http:` to this machine.
   */
  insecure: z.boolean().optional(),
  /** Where the relay token is kept (the app's encrypted store). Optional: `tokenEnv` may name it instead. */
  tokenRef: tokenRefSchema.optional(),
  /** The environment variable holding the relay token. Optional. */
  tokenEnv: tokenEnvSchema.optional(),
  /**
   * A Cirrus API token with WRITE, for Approve and Re-run of the Cirrus builds the relay carries
   * (and to catch up after a gap): where it is kept, or the variable that holds it. Optional.
   */
  cirrusTokenRef: tokenRefSchema.optional(),
  cirrusTokenEnv: tokenEnvSchema.optional(),
  /** A GitHub token with Actions: Read and write, for Approve and Re-run of the GitHub runs the relay carries. Optional. */
  githubTokenRef: tokenRefSchema.optional(),
  githubTokenEnv: tokenEnvSchema.optional(),
  /** The Cirrus GraphQL endpoint for those actions. Default https://api.cirrus-ci.com/graphql. */
  cirrusEndpoint: z.url({ protocol: /^https?$/, error: 'expected the Cirrus GraphQL endpoint, e.g. https://api.cirrus-ci.com/graphql' }).optional(),
  /** The GitHub REST API those runs live behind. Default https://api.github.com. */
  githubApiUrl: z.url({ protocol: /^https?$/, error: 'expected the GitHub API URL, e.g. https://api.github.com' }).optional(),
  /** A GitLab token with the `api` scope, for Approve and Re-run of the GitLab pipelines the relay carries. Optional. */
  gitlabTokenRef: tokenRefSchema.optional(),
  gitlabTokenEnv: tokenEnvSchema.optional(),
  /** The GitLab REST API those pipelines live behind. Default https://gitlab.com/api/v4. */
  gitlabApiUrl: z.url({ protocol: /^https?$/, error: 'expected the GitLab API URL, e.g. https://gitlab.com/api/v4' }).optional(),
});

/** No relay: poll the Cirrus GraphQL API for these repositories (once a minute by default). */
export const cirrusSourceSchema = z.strictObject({
  kind: z.literal('cirrus'),
  name: sourceNameSchema,
  repositories: z.array(slugSchema).min(1, 'list at least one repository as owner/name'),
  /**
   * Where the Cirrus API token is kept (the desktop app's encrypted token store), never the token
   * itself. Public repositories need none; approve and re-run need WRITE. Optional.
   */
  tokenRef: tokenRefSchema.optional(),
  tokenEnv: tokenEnvSchema.optional(),
  /**
   * Deprecated: a token in plain text, from before `tokenRef`. Still read (by `watch`, and by the
   * app, which moves it into its encrypted store and removes it from the file).
   */
  token: z.string().min(1).optional(),
  /** The GraphQL endpoint. Default https://api.cirrus-ci.com/graphql. */
  endpoint: z.url({ protocol: /^https?$/, error: 'expected the Cirrus GraphQL endpoint, e.g. https://api.cirrus-ci.com/graphql' }).optional(),
  /** Seconds between polls. Default 60: Cirrus asks for restraint (the poller never goes under 15). */
  pollIntervalSeconds: z.number().int().min(15).max(3600).default(60),
});

/** No relay: poll the GitHub REST API for these repositories' workflow runs (once a minute by default). */
export const githubSourceSchema = z.strictObject({
  kind: z.literal('github'),
  name: sourceNameSchema,
  repositories: z.array(slugSchema).min(1, 'list at least one repository as owner/name'),
  /**
   * Where the GitHub token is kept (the desktop app's encrypted token store), never the token
   * itself. Public repositories need none (60 requests an hour); approve and re-run need a token
   * with Actions: Read and write. Optional.
   */
  tokenRef: tokenRefSchema.optional(),
  tokenEnv: tokenEnvSchema.optional(),
  /** The REST API base: GitHub Enterprise Server (`https://<host>/api/v3`) or the simulator. Default https://api.github.com. */
  apiUrl: z.url({ protocol: /^https?$/, error: 'expected the GitHub API URL, e.g. https://api.github.com' }).optional(),
  /** Seconds between polls. Default 60; 304s cost nothing with a token, so once a minute is cheap. */
  pollIntervalSeconds: z.number().int().min(15).max(3600).default(60),
});

/** No relay: poll the GitLab REST API (v4) for these projects' pipelines (once a minute by default). */
export const gitlabSourceSchema = z.strictObject({
  kind: z.literal('gitlab'),
  name: sourceNameSchema,
  repositories: z.array(projectPathSchema).min(1, 'list at least one project as group/project'),
  /** A personal or project access token (scope read_api; api for Approve and Re-run): where it is kept. Public projects need none. */
  tokenRef: tokenRefSchema.optional(),
  tokenEnv: tokenEnvSchema.optional(),
  /** The REST API base of a self-managed GitLab (`https://<host>/api/v4`) or the simulator. Default https://gitlab.com/api/v4. */
  apiUrl: z.url({ protocol: /^https?$/, error: 'expected the GitLab API URL, e.g. https://gitlab.com/api/v4' }).optional(),
  /** Seconds between polls. Default 60. */
  pollIntervalSeconds: z.number().int().min(15).max(3600).default(60),
});

/** The built-in simulator feed: something to look at before any CI is configured. */
export const demoSourceSchema = z.strictObject({
  kind: z.literal('demo'),
  name: sourceNameSchema,
  /** Which CI the simulator plays. Default cirrus. */
  provider: z.enum(['cirrus', 'github', 'gitlab']).optional(),
  /** Seeds the story. Default 1. */
  seed: z.number().int().optional(),
  /** Simulated time per real time. Default 1. */
  speed: z.number().positive().max(1000).optional(),
});

export const sourceSettingsSchema = z.discriminatedUnion('kind', [relaySourceSchema, cirrusSourceSchema, githubSourceSchema, gitlabSourceSchema, demoSourceSchema]);

/** The name a source gets when the file does not give one (files from before names, flags). */
export function defaultSourceName(source: { kind: string; url?: unknown; provider?: unknown }): string {
  switch (source.kind) {
    case 'relay':
      return typeof source.url === 'string' && URL.canParse(source.url) ? `relay ${new URL(source.url).host}` : 'relay';
    case 'cirrus':
      return 'Cirrus CI';
    case 'github':
      return 'GitHub';
    case 'gitlab':
      return 'GitLab';
    default:
      return source.provider === 'github' ? 'demo (GitHub)' : source.provider === 'gitlab' ? 'demo (GitLab)' : 'demo';
  }
}

/** A source entry as a file may hold it: the name may be left out. */
const sourceEntrySchema = z.preprocess(
  (value) => (isRecord(value) && value['name'] === undefined && typeof value['kind'] === 'string' ? { ...value, name: defaultSourceName(value as { kind: string }) } : value),
  sourceSettingsSchema,
);

const sourcesSchema = z.array(sourceEntrySchema).max(20, 'at most 20 sources').superRefine((sources, context) => {
  // The name is each source's identity in the tray, in errors and for restarts: two alike would be one.
  const seen = new Map<string, number>();
  sources.forEach((source, index) => {
    const first = seen.get(source.name.toLowerCase());
    if (first !== undefined) context.addIssue({ code: 'custom', path: [index, 'name'], message: `"${source.name}" is already the name of source ${first}; give each source its own name` });
    else seen.set(source.name.toLowerCase(), index);
  });
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Which transitions raise a banner. Defaults: failed, fixed, still_failing, needs_approval and
 * errored ON (they ask the user to act); started, passed and aborted OFF (routine; they still
 * appear in the tray's recent events).
 */
export const notificationTogglesSchema = z.strictObject({
  started: z.boolean().default(DEFAULT_TRANSITION_TOGGLES.started),
  passed: z.boolean().default(DEFAULT_TRANSITION_TOGGLES.passed),
  failed: z.boolean().default(DEFAULT_TRANSITION_TOGGLES.failed),
  fixed: z.boolean().default(DEFAULT_TRANSITION_TOGGLES.fixed),
  still_failing: z.boolean().default(DEFAULT_TRANSITION_TOGGLES.still_failing),
  needs_approval: z.boolean().default(DEFAULT_TRANSITION_TOGGLES.needs_approval),
  aborted: z.boolean().default(DEFAULT_TRANSITION_TOGGLES.aborted),
  errored: z.boolean().default(DEFAULT_TRANSITION_TOGGLES.errored),
});

/** Only builds started by one of these usernames. Default off. */
export const onlyMineSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    usernames: z.array(z.string().min(1).max(200)).default([]),
  })
  .refine((value) => !value.enabled || value.usernames.length > 0, {
    message: 'list at least one username when only-mine is enabled',
    path: ['usernames'],
  });

/** No banners between start and end, local time; may wrap midnight. Default off, 22:00–07:00. */
export const quietHoursSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    start: clockTimeSchema.default('22:00'),
    end: clockTimeSchema.default('07:00'),
  })
  .refine((value) => value.start !== value.end, { message: 'start and end must differ', path: ['end'] });

/** Bursts: `burstThreshold` notifications within `burstWindowSeconds` become one summary. Defaults 5 and 10. */
export const coalescingSchema = z.strictObject({
  burstThreshold: z.number().int().min(2).max(100).default(5),
  burstWindowSeconds: z.number().min(1).max(600).default(10),
});

/** The tray: how much its menu lists (defaults 10 builds, 10 events), and whether `watch` shows one. */
const trayObjectSchema = z.strictObject({
  /**
   * `buildbell watch` shows a tray icon (StatusNotifierItem, Linux), as `watch --tray` does.
   * Default false. The desktop app always has its tray and ignores this.
   */
  enabled: z.boolean().default(false),
  recentBuilds: z.number().int().min(1).max(50).default(10),
  recentEvents: z.number().int().min(1).max(50).default(10),
});

/** `"tray": true` (or `false`) is short for `{ "enabled": true }`, the other fields at their defaults. */
export const traySettingsSchema = z.union([z.boolean().transform((enabled) => trayObjectSchema.parse({ enabled })), trayObjectSchema], {
  error: 'expected true, false, or an object such as { "enabled": true, "recentBuilds": 10 }',
});

const settingsObjectSchema = z.strictObject({
  /** Where events come from, every one at once. Default: the demo feed. */
  sources: sourcesSchema.default([{ kind: 'demo', name: 'demo' }]),
  notifications: notificationTogglesSchema.prefault({}),
  /** Repository globs over owner/name whose builds are hidden everywhere. Default none. */
  mutedRepositories: z.array(globSchema).default([]),
  /** Branch globs to include; empty (the default) means every branch. */
  branches: z.array(globSchema).default([]),
  onlyMine: onlyMineSchema.prefault({}),
  quietHours: quietHoursSchema.prefault({}),
  /** Banners paused until this instant (ISO 8601 with offset); null (default) when not paused. */
  pausedUntil: z.iso.datetime({ offset: true }).nullable().default(null),
  /** Start the app when the user logs in. Default false. */
  openAtLogin: z.boolean().default(false),
  coalescing: coalescingSchema.prefault({}),
  tray: traySettingsSchema.prefault({}),
});

/**
 * The settings, from a file of any version: a file from before the list of sources has one
 * `source`, read as a list of one (and written in the new form on the next save).
 */
export const settingsSchema = z.preprocess((value) => {
  if (!isRecord(value) || !('source' in value)) return value;
  if ('sources' in value) return value; // Both: the strict object names `source` as unknown, which says which to keep.
  const { source, ...rest } = value;
  return { ...rest, sources: [source] };
}, settingsObjectSchema);

export type Settings = z.infer<typeof settingsObjectSchema>;
/** What a settings file may contain: every field optional. */
export type SettingsInput = z.input<typeof settingsObjectSchema>;
export type SourceSettings = z.infer<typeof sourceSettingsSchema>;
export type SourceKind = SourceSettings['kind'];
export type NotificationToggles = z.infer<typeof notificationTogglesSchema>;

/** The settings of an empty file. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
