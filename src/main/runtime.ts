/**
 * The desktop app's client session, kept running across settings changes: loads the settings
 * (moving a plain-text token of an older file into the encrypted store), starts the session (every
 * source, one engine), saves what the engine changes itself (mute, pause), and hands new settings
 * to the session, which restarts only the sources that changed. Electron-free: ports come in, so
 * tests drive it directly.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Clock, Logger, NotifierPort, OpenerPort } from '../core/ports.js';
import type { Engine } from '../client/engine/engine.js';
import { createClientSession, type ClientSession, type SessionSource } from '../client/session/session.js';
import { createTokenResolver } from '../client/session/tokens.js';
import type { DemoStarter } from '../client/sources/demo/source.js';
import { loadSettings, saveSettings } from '../client/settings/file.js';
import type { Settings } from '../client/settings/schema.js';
import type { TokenStore } from '../client/settings/tokenStore.js';
import { tokenRefFor } from './sourceForm.js';

export interface RuntimeOptions {
  readonly settingsFile: string;
  readonly tokens: TokenStore;
  readonly notifier: NotifierPort;
  readonly opener: OpenerPort;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Applies "open at login" to the operating system. */
  readonly setOpenAtLogin: (enabled: boolean) => void;
  /** Starts the demo's simulator. */
  readonly demo?: DemoStarter;
  /** The environment `tokenEnv` names are read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface DesktopRuntime {
  /** Loads the settings and starts the sources, unless this is the first run. */
  start(): Promise<void>;
  engine(): Engine;
  settings(): Settings;
  /** Each source the session runs, with its problem if it cannot. */
  sources(): readonly SessionSource[];
  /** No settings file yet: nothing chosen, the window should ask. */
  firstRun(): boolean;
  /** The problems starting sources or saving settings, for people; null when none. */
  problem(): string | null;
  /**
   * Saves new settings; the sources that changed restart, and those named in `restartSources` (a
   * newly stored token changes no setting but must reach its source).
   */
  applySettings(settings: Settings, options?: { readonly restartSources?: readonly string[] }): Promise<void>;
  /** Called on every tray model or settings change. */
  onChange(listener: () => void): void;
  stop(): Promise<void>;
}

export function createDesktopRuntime(options: RuntimeOptions): DesktopRuntime {
  const { logger, clock } = options;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  let settings: Settings;
  let firstRun = false;
  let saveProblem: string | null = null;
  let session: ClientSession | null = null;

  const persist = async (next: Settings) => {
    settings = await saveSettings(options.settingsFile, next);
    firstRun = false;
  };

  const startSession = async () => {
    const created = createClientSession({
      settings,
      tokens: createTokenResolver({ store: options.tokens, env: options.env ?? process.env }),
      folder: path.dirname(options.settingsFile),
      notifier: options.notifier,
      opener: options.opener,
      logger,
      clock,
      ...(options.demo ? { demo: options.demo } : {}),
    });
    session = created;
    created.engine.onTrayModelChange(changed);
    created.engine.onSettingsChange((next) => {
      void persist(next).then(
        () => {
          saveProblem = null;
          changed();
        },
        (error: Error) => {
          saveProblem = error.message;
          logger.error('could not save settings', { error: error.message });
        },
      );
    });
    await created.start();
    changed();
  };

  return {
    async start() {
      firstRun = !(await exists(options.settingsFile));
      settings = await loadSettings(options.settingsFile);
      // A first run has no source until the user adds one in the window (the file's default, the
      // demo, would otherwise start unasked and stay in the list beside the user's first source).
      if (firstRun) settings = { ...settings, sources: [] };
      settings = await migratePlainTokens(settings);
      options.setOpenAtLogin(settings.openAtLogin);
      await startSession();
    },
    engine: () => session!.engine,
    settings: () => settings,
    sources: () => session?.sources() ?? [],
    firstRun: () => firstRun,
    problem() {
      if (firstRun) return 'Choose where builds come from: open Settings…';
      const problems = (session?.sources() ?? []).filter((source) => source.problem !== null).map((source) => `${source.name}: ${source.problem}`);
      if (saveProblem !== null) problems.push(saveProblem);
      return problems.length === 0 ? null : problems.join('\n');
    },
    async applySettings(next, { restartSources = [] } = {}) {
      await persist(next);
      options.setOpenAtLogin(settings.openAtLogin);
      // The session gets the settings as saved (parsed, defaults filled, fields in the schema's
      // order), the same object the next change starts from: it tells a changed source by comparing
      // entries, and an entry written in another key order would restart a source nobody edited.
      await session!.apply(settings, { restart: restartSources });
      changed();
    },
    onChange(listener) {
      listeners.add(listener);
    },
    async stop() {
      await session?.stop();
    },
  };

  /** Older files kept a Cirrus token in plain text: move each into the encrypted store when possible. */
  async function migratePlainTokens(loaded: Settings): Promise<Settings> {
    if (!loaded.sources.some((source) => source.kind === 'cirrus' && source.token !== undefined)) return loaded;
    if (options.tokens.unavailableReason() !== null) {
      logger.warn('the settings file holds a Cirrus token in plain text and this system cannot encrypt it; it stays where it is');
      return loaded;
    }
    const sources = [];
    for (const source of loaded.sources) {
      if (source.kind !== 'cirrus' || source.token === undefined) {
        sources.push(source);
        continue;
      }
      const { token, ...rest } = source;
      const ref = tokenRefFor(source.name, 'token');
      await options.tokens.set(ref, token);
      sources.push({ ...rest, tokenRef: ref });
    }
    const migrated = await saveSettings(options.settingsFile, { ...loaded, sources });
    logger.info('moved the Cirrus token from the settings file into encrypted storage');
    return migrated;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}
