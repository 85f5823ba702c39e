/**
 * The one IPC contract between the settings window and the main process: every channel's name,
 * what the window sends and what it gets back. Main, preload and renderer all type against this
 * file, and a compile-time check below fails the build when a channel lacks a contract (or a
 * contract lacks a channel), so the three sides cannot drift apart.
 *
 * Requests are zod schemas because the main process parses every payload it receives: the window
 * is web content and is trusted no further than a web page. Tokens travel one way only, from the
 * window to main; what main sends back says whether a token is stored, never the token.
 */
import { z } from 'zod';
import { transitionSchema, type Transition } from '../engine/transition.js';
import type { TrayModel } from '../engine/trayModel.js';

/** Renderer → main requests (`ipcRenderer.invoke`), prefixed so they never collide with Electron's. */
export const INVOKE_CHANNELS = {
  getState: 'buildbell:get-state',
  saveSettings: 'buildbell:save-settings',
  saveSource: 'buildbell:save-source',
  removeSource: 'buildbell:remove-source',
  testConnection: 'buildbell:test-connection',
  sendTestNotification: 'buildbell:send-test-notification',
  openBuild: 'buildbell:open-build',
} as const;

/** Main → renderer pushes (`webContents.send`). */
export const EVENT_CHANNELS = {
  stateChanged: 'buildbell:state-changed',
  showSection: 'buildbell:show-section',
} as const;

export type InvokeChannelName = keyof typeof INVOKE_CHANNELS;
export type EventChannelName = keyof typeof EVENT_CHANNELS;

const MAX_LIST = 200;
const patternSchema = z.string().trim().min(1).max(200);
const slugSchema = z.string().trim().regex(/^[^/\s]+\/[^/\s]+$/, 'expected a repository as owner/name');
/** GitLab projects may sit in subgroups: group/project or group/sub/project. */
const projectPathSchema = z.string().trim().regex(/^[^/\s]+(?:\/[^/\s]+)+$/, 'expected a project as group/project (subgroups allowed)');
/** A token typed into the window: sent once, stored encrypted, never sent back. */
const newTokenSchema = z.string().trim().min(1).max(4096);
const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):([0-5]\d)$/, 'expected a time as HH:MM');
/** The name the user gives a source; unique among the sources (main checks, case-insensitively). */
const sourceNameSchema = z.string().trim().min(1, 'give the source a name, e.g. "work relay"').max(60);
const apiUrlSchema = (example: string) => z.url({ protocol: /^https?$/, error: `expected the API URL, e.g. ${example}` });

/** Which stored token of a source: its own (`token`), or one of a relay's tokens for Approve and Re-run. */
export const tokenPurposeSchema = z.enum(['token', 'cirrusToken', 'githubToken', 'gitlabToken']);
export type TokenPurpose = z.infer<typeof tokenPurposeSchema>;

/**
 * One source as the window's editor sends it. A token field is present only when a token was typed
 * (it replaces the stored one); absent keeps what is stored; `removeTokens` lists the stored tokens
 * to delete. The relay's own token cannot be removed, only replaced: a relay does not run without one.
 */
export const sourceFormSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('demo'),
    name: sourceNameSchema,
    /** Which CI the simulator plays. */
    provider: z.enum(['cirrus', 'github', 'gitlab']),
  }),
  z.strictObject({
    kind: z.literal('relay'),
    name: sourceNameSchema,
    url: z.url({ protocol: /^https?$/, error: 'expected the relay URL, e.g. https://relay.example.com' }),
    token: newTokenSchema.optional(),
    /** A new Cirrus token (WRITE) for Approve and Re-run of relayed Cirrus builds. */
    cirrusToken: newTokenSchema.optional(),
    /** A new GitHub token (Actions: Read and write) for Approve and Re-run of relayed GitHub runs. */
    githubToken: newTokenSchema.optional(),
    /** A new GitLab token (scope api) for Approve and Re-run of relayed GitLab pipelines. */
    gitlabToken: newTokenSchema.optional(),
    removeTokens: z.array(z.enum(['cirrusToken', 'githubToken', 'gitlabToken'])).max(3).optional(),
  }),
  z.strictObject({
    kind: z.literal('cirrus'),
    name: sourceNameSchema,
    repositories: z.array(slugSchema).min(1, 'list at least one repository as owner/name').max(MAX_LIST),
    token: newTokenSchema.optional(),
    removeTokens: z.array(z.literal('token')).max(1).optional(),
  }),
  z.strictObject({
    kind: z.literal('github'),
    name: sourceNameSchema,
    repositories: z.array(slugSchema).min(1, 'list at least one repository as owner/name').max(MAX_LIST),
    /** GitHub Enterprise Server's REST API (`https://<host>/api/v3`); absent: api.github.com. */
    apiUrl: apiUrlSchema('https://github.example.com/api/v3').optional(),
    token: newTokenSchema.optional(),
    removeTokens: z.array(z.literal('token')).max(1).optional(),
  }),
  z.strictObject({
    kind: z.literal('gitlab'),
    name: sourceNameSchema,
    repositories: z.array(projectPathSchema).min(1, 'list at least one project as group/project').max(MAX_LIST),
    /** A self-managed GitLab's REST API (`https://<host>/api/v4`); absent: gitlab.com. */
    apiUrl: apiUrlSchema('https://gitlab.example.com/api/v4').optional(),
    token: newTokenSchema.optional(),
    removeTokens: z.array(z.literal('token')).max(1).optional(),
  }),
]);
export type SourceForm = z.infer<typeof sourceFormSchema>;
export type SourceFormKind = SourceForm['kind'];

/** Everything the settings window edits besides the sources (each source is saved on its own). */
export const settingsFormSchema = z.strictObject({
  notifications: z.record(transitionSchema, z.boolean()),
  mutedRepositories: z.array(patternSchema).max(MAX_LIST),
  branches: z.array(patternSchema).max(MAX_LIST),
  quietHours: z
    .strictObject({ enabled: z.boolean(), start: clockTimeSchema, end: clockTimeSchema })
    .refine((value) => value.start !== value.end, { message: 'start and end must differ', path: ['end'] }),
  openAtLogin: z.boolean(),
});
export type SettingsForm = z.infer<typeof settingsFormSchema>;

/** The settings as main shows them to the window. */
export type SettingsView = SettingsForm & { readonly notifications: Readonly<Record<Transition, boolean>> };

/** A token slot of a source: whether a token is stored (never the token), and the environment variable the file names for it. */
export interface TokenView {
  readonly stored: boolean;
  /** `tokenEnv` from the settings file (e.g. WORK_GITHUB_TOKEN), read when nothing is stored; null when none. */
  readonly env: string | null;
}

/** A source's live connection, as the tray knows it. */
export interface SourceStatus {
  /** `stopped`: not running (not started yet, or it could not be prepared and says why in `line`). */
  readonly state: 'connected' | 'down' | 'stopped';
  /** "connected · last event 2 min ago", or why not. */
  readonly line: string;
}

/** One source as the window lists it; tokens reduced to "stored or not". */
export type SourceView = { readonly name: string; readonly status: SourceStatus } & (
  | { readonly kind: 'demo'; readonly provider: 'cirrus' | 'github' | 'gitlab' }
  | {
      readonly kind: 'relay';
      readonly url: string;
      readonly tokens: { readonly token: TokenView; readonly cirrusToken: TokenView; readonly githubToken: TokenView; readonly gitlabToken: TokenView };
    }
  | {
      readonly kind: 'cirrus' | 'github' | 'gitlab';
      readonly repositories: readonly string[];
      /** The API base the file or the window set; null for the public service. */
      readonly apiUrl: string | null;
      readonly tokens: { readonly token: TokenView };
    }
);

/** What the window needs to draw itself. */
export interface AppState {
  readonly settings: SettingsView;
  /** Every source, in the settings' order, with its connection. */
  readonly sources: readonly SourceView[];
  readonly tray: TrayModel;
  /** One line per source, "work relay: connected · last event 2 min ago", written by the main process as the tray says it. */
  readonly connectionLines: readonly string[];
  /** False when tokens cannot be stored encrypted on this machine; `reason` says why. */
  readonly tokenStorage: { readonly available: boolean; readonly reason: string | null };
  /** Nothing configured yet: the window opens on the sources, offering the demo. */
  readonly firstRun: boolean;
  /** The last problem starting the sources or saving, for people; null when none. */
  readonly problem: string | null;
}

/** An answer that can fail with a sentence for the user. */
export type Outcome<T = undefined> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export const openBuildSchema = z.strictObject({ buildKey: z.string().min(1).max(300) });
/** `original`: the name of the source being edited (its stored tokens are used, moved or replaced); null for a new one. */
export const saveSourceSchema = z.strictObject({ original: sourceNameSchema.nullable(), source: sourceFormSchema });
export const removeSourceSchema = z.strictObject({ name: sourceNameSchema });
/** The editor's values; `original` names the source whose stored token is used when the form brings none. */
export const testConnectionSchema = z.strictObject({ original: sourceNameSchema.nullable(), source: sourceFormSchema });
export const noPayloadSchema = z.undefined();

/** The sections `showSection` may ask the window to scroll to. */
export const sectionSchema = z.enum(['sources', 'notifications', 'builds']);
export type Section = z.infer<typeof sectionSchema>;

/** Each invoke channel's request schema and response type. */
export interface InvokeContracts {
  getState: { request: typeof noPayloadSchema; response: AppState };
  saveSettings: { request: typeof settingsFormSchema; response: Outcome<AppState> };
  saveSource: { request: typeof saveSourceSchema; response: Outcome<AppState> };
  removeSource: { request: typeof removeSourceSchema; response: Outcome<AppState> };
  testConnection: { request: typeof testConnectionSchema; response: Outcome<string> };
  sendTestNotification: { request: typeof noPayloadSchema; response: Outcome<string> };
  openBuild: { request: typeof openBuildSchema; response: Outcome };
}

/** Each event channel's payload. */
export interface EventContracts {
  stateChanged: AppState;
  showSection: Section;
}

/** The request schemas, by channel: main parses every payload with these. */
export const REQUEST_SCHEMAS: { readonly [K in InvokeChannelName]: InvokeContracts[K]['request'] } = {
  getState: noPayloadSchema,
  saveSettings: settingsFormSchema,
  saveSource: saveSourceSchema,
  removeSource: removeSourceSchema,
  testConnection: testConnectionSchema,
  sendTestNotification: noPayloadSchema,
  openBuild: openBuildSchema,
};

export type RequestOf<K extends InvokeChannelName> = z.infer<InvokeContracts[K]['request']>;
export type ResponseOf<K extends InvokeChannelName> = InvokeContracts[K]['response'];

/**
 * The API the preload exposes as `window.buildbell`: one named function per channel, nothing else.
 * Subscriptions return their unsubscribe.
 */
export interface BuildbellApi {
  getState(): Promise<AppState>;
  saveSettings(form: SettingsForm): Promise<Outcome<AppState>>;
  saveSource(request: RequestOf<'saveSource'>): Promise<Outcome<AppState>>;
  removeSource(request: RequestOf<'removeSource'>): Promise<Outcome<AppState>>;
  testConnection(request: RequestOf<'testConnection'>): Promise<Outcome<string>>;
  sendTestNotification(): Promise<Outcome<string>>;
  openBuild(request: RequestOf<'openBuild'>): Promise<Outcome>;
  onStateChanged(listener: (state: AppState) => void): () => void;
  onShowSection(listener: (section: Section) => void): () => void;
}

// Compile-time checks: every channel has a contract and every contract a channel. A missing or
// extra key makes one of these `false`, and assigning `true` to it fails the type check.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const invokeContractsComplete: Same<InvokeChannelName, keyof InvokeContracts> = true;
const eventContractsComplete: Same<EventChannelName, keyof EventContracts> = true;
void invokeContractsComplete;
void eventContractsComplete;
