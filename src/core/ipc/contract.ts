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
/** A token typed into the window: sent once, stored encrypted, never sent back. */
const newTokenSchema = z.string().trim().min(1).max(4096);
const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):([0-5]\d)$/, 'expected a time as HH:MM');

/** The source as the window edits it. `token` is a new token to store; absent keeps the stored one. */
export const sourceFormSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('demo') }),
  z.strictObject({
    kind: z.literal('relay'),
    url: z.url({ protocol: /^https?$/, error: 'expected the relay URL, e.g. https://relay.example.com' }),
    token: newTokenSchema.optional(),
    /** A new Cirrus token (WRITE) for Approve and Re-run of relayed Cirrus builds; absent keeps the stored one. */
    cirrusToken: newTokenSchema.optional(),
    /** A new GitHub token (Actions: Read and write) for Approve and Re-run of relayed GitHub runs; absent keeps the stored one. */
    githubToken: newTokenSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('cirrus'),
    repositories: z.array(slugSchema).min(1, 'list at least one repository as owner/name').max(MAX_LIST),
    token: newTokenSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('github'),
    repositories: z.array(slugSchema).min(1, 'list at least one repository as owner/name').max(MAX_LIST),
    token: newTokenSchema.optional(),
  }),
]);
export type SourceForm = z.infer<typeof sourceFormSchema>;

/** Everything the settings window edits. */
export const settingsFormSchema = z.strictObject({
  source: sourceFormSchema,
  notifications: z.record(transitionSchema, z.boolean()),
  mutedRepositories: z.array(patternSchema).max(MAX_LIST),
  branches: z.array(patternSchema).max(MAX_LIST),
  quietHours: z
    .strictObject({ enabled: z.boolean(), start: clockTimeSchema, end: clockTimeSchema })
    .refine((value) => value.start !== value.end, { message: 'start and end must differ', path: ['end'] }),
  openAtLogin: z.boolean(),
});
export type SettingsForm = z.infer<typeof settingsFormSchema>;

/** For each provider, whether a token for Approve and Re-run is stored. */
export interface ActionTokensStored {
  readonly cirrus: boolean;
  readonly github: boolean;
}

/** The settings as main shows them to the window: the same form, with tokens reduced to "stored or not". */
export type SettingsView = Omit<SettingsForm, 'source'> & {
  readonly source:
    | { readonly kind: 'demo' }
    | {
        readonly kind: 'relay';
        readonly url: string;
        readonly tokenStored: boolean;
        /** Whether the tokens for Approve and Re-run are stored (never the tokens). */
        readonly actionTokensStored: ActionTokensStored;
      }
    | { readonly kind: 'cirrus' | 'github'; readonly repositories: readonly string[]; readonly tokenStored: boolean };
  readonly notifications: Readonly<Record<Transition, boolean>>;
};

/** What the window needs to draw itself. */
export interface AppState {
  readonly settings: SettingsView;
  readonly tray: TrayModel;
  /** One line per source, "work relay: connected · last event 2 min ago", written by the main process as the tray says it. */
  readonly connectionLines: readonly string[];
  /** False when tokens cannot be stored encrypted on this machine; `reason` says why. */
  readonly tokenStorage: { readonly available: boolean; readonly reason: string | null };
  /** Nothing configured yet: the window opens on the choice of source. */
  readonly firstRun: boolean;
  /** The last problem starting the source or saving, for people; null when none. */
  readonly problem: string | null;
}

/** An answer that can fail with a sentence for the user. */
export type Outcome<T = undefined> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export const openBuildSchema = z.strictObject({ buildKey: z.string().min(1).max(300) });
export const testConnectionSchema = z.strictObject({ source: sourceFormSchema });
export const noPayloadSchema = z.undefined();

/** The sections `showSection` may ask the window to scroll to. */
export const sectionSchema = z.enum(['source', 'notifications', 'builds']);
export type Section = z.infer<typeof sectionSchema>;

/** Each invoke channel's request schema and response type. */
export interface InvokeContracts {
  getState: { request: typeof noPayloadSchema; response: AppState };
  saveSettings: { request: typeof settingsFormSchema; response: Outcome<AppState> };
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
