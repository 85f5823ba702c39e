/**
 * The desktop app's engine and source, kept running across settings changes: loads the settings
 * (moving a plain-text token of an older file into the encrypted store), starts the chosen source,
 * saves what the engine changes itself (mute, pause), and swaps engine and source when the user
 * picks another source. Electron-free: ports come in, so tests drive it directly.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { BuildActionsPort, Clock, Logger, NotifierPort, OpenerPort } from '../core/ports.js';
import { createEngine, type Engine } from '../client/engine/engine.js';
import { loadSettings, saveSettings } from '../client/settings/file.js';
import type { Settings } from '../client/settings/schema.js';
import type { TokenStore } from '../client/settings/tokenStore.js';
import { prepareSource, type PreparedSource } from '../client/sources/startSource.js';
import { TOKEN_REFS } from './settingsForm.js';
import { routeBuildActions } from '../client/sources/actionRouter.js';
import { sourceChoiceFromSettings } from '../client/sources/sourceFromSettings.js';

export interface RuntimeOptions {
  readonly settingsFile: string;
  readonly tokens: TokenStore;
  readonly notifier: NotifierPort;
  readonly opener: OpenerPort;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Applies "open at login" to the operating system. */
  readonly setOpenAtLogin: (enabled: boolean) => void;
  readonly cirrusEndpoint?: string;
}

export interface DesktopRuntime {
  /** Loads the settings and starts the source, unless this is the first run. */
  start(): Promise<void>;
  engine(): Engine;
  settings(): Settings;
  /** No settings file yet: nothing chosen, the window should ask. */
  firstRun(): boolean;
  /** The last problem starting the source or saving settings, for people. */
  problem(): string | null;
  /**
   * Saves new settings and restarts the source when it changed, or when `restartSource` asks
   * (default false): a newly stored token changes no setting but must reach the source.
   */
  applySettings(settings: Settings, options?: { readonly restartSource?: boolean }): Promise<void>;
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
  let problem: string | null = null;
  let engine: Engine | null = null;
  let source: PreparedSource | null = null;

  const persist = async (next: Settings) => {
    settings = await saveSettings(options.settingsFile, next);
    firstRun = false;
  };

  const startSource = async () => {
    await source?.stop().catch((error: Error) => logger.warn('stopping the old source failed', { error: error.message }));
    engine?.close();
    source = null;
    problem = null;
    try {
      if (firstRun) throw new Error('Choose where builds come from: open Settings…');
      const choice = await sourceChoiceFromSettings(settings.source, {
        tokens: options.tokens,
        folder: path.dirname(options.settingsFile),
        logger,
        ...(options.cirrusEndpoint ? { cirrusEndpoint: options.cirrusEndpoint } : {}),
      });
      source = await prepareSource(choice, { logger, clock });
    } catch (error) {
      problem = (error as Error).message;
    }
    const created = createEngine({ settings, clock, notifier: options.notifier, opener: options.opener, logger, ...withActions(source) });
    engine = created;
    created.onTrayModelChange(changed);
    created.onSettingsChange((next) => {
      void persist(next).then(changed, (error: Error) => logger.error('could not save settings', { error: error.message }));
    });
    if (source === null) {
      created.setConnection({ connected: false, source: 'no source', reason: problem ?? 'not configured' });
    } else {
      await source.start(created).catch((error: Error) => {
        problem = `Could not start ${source?.label}: ${error.message}`;
        created.setConnection({ connected: false, source: source?.label ?? 'source', reason: error.message });
      });
    }
    changed();
  };

  return {
    async start() {
      firstRun = !(await exists(options.settingsFile));
      settings = await loadSettings(options.settingsFile);
      settings = await migratePlainToken(settings);
      options.setOpenAtLogin(settings.openAtLogin);
      await startSource();
    },
    engine: () => engine!,
    settings: () => settings,
    firstRun: () => firstRun,
    problem: () => problem,
    async applySettings(next, { restartSource = false } = {}) {
      const sourceChanged = restartSource || firstRun || JSON.stringify(next.source) !== JSON.stringify(settings.source);
      await persist(next);
      options.setOpenAtLogin(next.openAtLogin);
      if (sourceChanged) await startSource();
      else {
        engine!.updateSettings(next);
        changed();
      }
    },
    onChange(listener) {
      listeners.add(listener);
    },
    async stop() {
      await source?.stop();
      engine?.close();
    },
  };

  /** Older files kept the Cirrus token in plain text: move it into the encrypted store when possible. */
  async function migratePlainToken(loaded: Settings): Promise<Settings> {
    if (loaded.source.kind !== 'cirrus' || loaded.source.token === undefined) return loaded;
    if (options.tokens.unavailableReason() !== null) {
      logger.warn('the settings file holds a Cirrus token in plain text and this system cannot encrypt it; it stays where it is');
      return loaded;
    }
    const { token, ...rest } = loaded.source;
    await options.tokens.set(TOKEN_REFS.cirrus, token);
    const migrated = await saveSettings(options.settingsFile, { ...loaded, source: { ...rest, tokenRef: TOKEN_REFS.cirrus } });
    logger.info('moved the Cirrus token from the settings file into encrypted storage');
    return migrated;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}


function withActions(source: PreparedSource | null): { actions?: BuildActionsPort } {
  const actions = source === null ? undefined : routeBuildActions(source.actions);
  return actions ? { actions } : {};
}
