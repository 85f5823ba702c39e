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

/** Events from a buildbell relay over WebSocket. */
export const relaySourceSchema = z.strictObject({
  kind: z.literal('relay'),
  /** The relay's base URL, `https:` (or `http:` for a relay on this machine). */
  url: z.url({ protocol: /^https?$/, error: 'expected the relay URL, e.g. https://relay.example.com' }),
  /**
   * Accept an `http:` URL to another machine, where the relay token travels in cleartext (a
   * trusted network only). Optional; default false: only `https:`, or `http:` to this machine.
   */
  insecure: z.boolean().optional(),
  /** Where the relay token is kept (a keychain entry name), never the token itself. Optional. */
  tokenRef: z.string().min(1).max(200).optional(),
  /**
   * Where a Cirrus API token with WRITE is kept, for Approve and Re-run of the Cirrus builds the
   * relay carries (and to catch up after a gap). Never the token itself. Optional; default none.
   */
  cirrusTokenRef: z.string().min(1).max(200).optional(),
  /**
   * Where a GitHub token with Actions: Read and write is kept, for Approve and Re-run of the
   * GitHub runs the relay carries. Never the token itself. Optional; default none.
   */
  githubTokenRef: z.string().min(1).max(200).optional(),
});

/** No relay: poll the Cirrus GraphQL API for these repositories (once a minute by default). */
export const cirrusSourceSchema = z.strictObject({
  kind: z.literal('cirrus'),
  repositories: z.array(slugSchema).min(1, 'list at least one repository as owner/name'),
  /**
   * Where the Cirrus API token is kept (the desktop app's encrypted token store), never the token
   * itself. Public repositories need none; approve and re-run need WRITE. Optional.
   */
  tokenRef: z.string().min(1).max(200).optional(),
  /**
   * Deprecated: a token in plain text, from before `tokenRef`. Still read (by `watch`, and by the
   * app, which moves it into its encrypted store and removes it from the file).
   */
  token: z.string().min(1).optional(),
  /** Seconds between polls. Default 60, and no faster: Cirrus asks for restraint. */
  pollIntervalSeconds: z.number().int().min(60).max(3600).default(60),
});

/** No relay: poll the GitHub REST API for these repositories' workflow runs (once a minute by default). */
export const githubSourceSchema = z.strictObject({
  kind: z.literal('github'),
  repositories: z.array(slugSchema).min(1, 'list at least one repository as owner/name'),
  /**
   * Where the GitHub token is kept (the desktop app's encrypted token store), never the token
   * itself. Public repositories need none (60 requests an hour); approve and re-run need a token
   * with Actions: Read and write. Optional.
   */
  tokenRef: z.string().min(1).max(200).optional(),
  /** The REST API base: GitHub Enterprise Server (`https://<host>/api/v3`) or the simulator. Default https://api.github.com. */
  apiUrl: z.url({ protocol: /^https?$/, error: 'expected the GitHub API URL, e.g. https://api.github.com' }).optional(),
  /** Seconds between polls. Default 60; 304s cost nothing with a token, so once a minute is cheap. */
  pollIntervalSeconds: z.number().int().min(15).max(3600).default(60),
});

/** The built-in simulator feed: something to look at before any CI is configured. */
export const demoSourceSchema = z.strictObject({ kind: z.literal('demo') });

export const sourceSettingsSchema = z.discriminatedUnion('kind', [relaySourceSchema, cirrusSourceSchema, githubSourceSchema, demoSourceSchema]);

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

/** How much the tray menu lists. Defaults 10 builds, 10 events. */
export const traySettingsSchema = z.strictObject({
  recentBuilds: z.number().int().min(1).max(50).default(10),
  recentEvents: z.number().int().min(1).max(50).default(10),
});

export const settingsSchema = z.strictObject({
  /** Where events come from. Default: the demo feed. */
  source: sourceSettingsSchema.default({ kind: 'demo' }),
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

export type Settings = z.infer<typeof settingsSchema>;
/** What a settings file may contain: every field optional. */
export type SettingsInput = z.input<typeof settingsSchema>;
export type SourceSettings = z.infer<typeof sourceSettingsSchema>;
export type NotificationToggles = z.infer<typeof notificationTogglesSchema>;

/** The settings of an empty file. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
