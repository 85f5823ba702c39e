/**
 * One client session: every source the settings list, feeding one engine. Both shells use it
 * (`watch` maps its flags onto the settings; the desktop app passes Electron's ports), so what a
 * source is and how it runs is written once.
 *
 * Sources are independent: one failing to start, or dropping, is that source's line in the tray
 * and never stops the others; a changed source restarts alone; a removed one stops and leaves the
 * tray. Actions go to whichever running source can act on the build (`routeBuildActions`), and
 * "I'm on it" to whichever relay carries it (`routeAcknowledgements`).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildActionsPort, BuildRef, Clock, Logger, NotifierPort, OpenerPort } from '../../core/ports.js';
import { createEngine, type Engine, type TimersPort } from '../engine/engine.js';
import type { Settings, SourceSettings } from '../settings/schema.js';
import { routeBuildActions } from '../sources/actionRouter.js';
import type { EventSink, PreparedSource } from '../sources/contract.js';
import type { DemoStarter } from '../sources/demo/source.js';
import { cursorFileOf, prepareSourceFromSettings } from './sourceFromSettings.js';
import { routeFailureDetail } from './failureDetailRoute.js';
import { routeAcknowledgements } from './acknowledgeRoute.js';
import type { TokenResolver } from './tokens.js';

export interface ClientSessionOptions {
  readonly settings: Settings;
  readonly tokens: TokenResolver;
  /** The folder of the settings file: relay cursor files are kept in it. */
  readonly folder: string;
  readonly notifier: NotifierPort;
  readonly opener: OpenerPort;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Starts the demo's simulator (the shells pass src/sim/demoFeed.ts). */
  readonly demo?: DemoStarter;
  readonly timers?: TimersPort;
}

/** One source as the session runs it. */
export interface SessionSource {
  readonly name: string;
  readonly kind: SourceSettings['kind'];
  /** What it is, e.g. "relay relay.acme.dev", "GitHub API (2 repositories)"; null when it could not be prepared. */
  readonly label: string | null;
  /** Why it is not running (a missing token, a bad URL), for people; null when it runs. */
  readonly problem: string | null;
}

export interface ClientSession {
  readonly engine: Engine;
  /** Starts every source; resolves when each has started or failed (a failure is its tray line, never a rejection). */
  start(): Promise<void>;
  /**
   * New settings. A source whose entry changed, or that `restart` names (a newly stored token
   * changes no setting but must reach its source), restarts; one that is gone stops; the others
   * run on untouched. Everything else reaches the engine.
   */
  apply(settings: Settings, options?: { readonly restart?: readonly string[] }): Promise<void>;
  sources(): readonly SessionSource[];
  stop(): Promise<void>;
}

interface Running {
  readonly entry: SourceSettings;
  readonly prepared: PreparedSource | null;
  readonly problem: string | null;
  /** True while this source holds a catch-up open. */
  catchingUp: boolean;
  /** False once stopped: a late event or status from it is dropped. */
  live: boolean;
}

export function createClientSession(options: ClientSessionOptions): ClientSession {
  const { logger, clock } = options;
  const running = new Map<string, Running>();
  let openCatchUps = 0;

  // Actions are looked up when asked for, so sources may come and go under one engine.
  const route = (): BuildActionsPort | undefined => routeBuildActions([...running.values()].flatMap((source) => source.prepared?.actions ?? []));
  const actions: BuildActionsPort = {
    canAct: (build: BuildRef) => route()?.canAct?.(build) ?? false,
    approve: async (build) => {
      const port = route();
      if (!port) throw new Error('no source holds a token that can approve builds');
      return port.approve(build);
    },
    rerunFailedTasks: async (build) => {
      const port = route();
      if (!port) throw new Error('no source holds a token that can re-run builds');
      return port.rerunFailedTasks(build);
    },
  };

  const engine = createEngine({
    settings: options.settings,
    clock,
    notifier: options.notifier,
    opener: options.opener,
    logger,
    actions,
    failureDetail: routeFailureDetail(() => [...running.values()].map((source) => source.prepared)),
    // In the order of the settings, so the first relay listed that carries a build is the one told.
    acknowledgements: routeAcknowledgements(() => engine.settings().sources.map((entry) => running.get(entry.name)?.prepared ?? null)),
    ...(options.timers ? { timers: options.timers } : {}),
  });

  /** The engine as one source sees it: its events and connection under its own name, its catch-up counted. */
  const sinkFor = (state: Running): EventSink => ({
    handle: (event, handleOptions = {}) => {
      if (state.live) engine.handle(event, { ...handleOptions, source: state.entry.name });
    },
    handleAcknowledgement: (ack, ackOptions) => {
      if (state.live) engine.handleAcknowledgement(ack, { ...ackOptions, source: state.entry.name });
    },
    beginCatchUp: () => {
      if (!state.live || state.catchingUp) return;
      state.catchingUp = true;
      if (openCatchUps++ === 0) engine.beginCatchUp();
    },
    endCatchUp: () => endCatchUpOf(state),
    // The source's own label ("relay 127.0.0.1:8787") is replaced by the name the user gave it.
    setConnection: (update) => {
      if (state.live) engine.setConnection({ ...update, source: state.entry.name });
    },
    trayModel: () => engine.trayModel(),
  });

  const endCatchUpOf = (state: Running) => {
    if (!state.catchingUp) return;
    state.catchingUp = false;
    if (--openCatchUps === 0) engine.endCatchUp();
  };

  const startOne = async (entry: SourceSettings): Promise<void> => {
    engine.setConnection({ connected: false, source: entry.name, reason: 'starting' });
    let prepared: PreparedSource | null = null;
    let problem: string | null = null;
    try {
      prepared = await prepareSourceFromSettings(entry, { tokens: options.tokens, folder: options.folder, logger, clock, ...(options.demo ? { demo: options.demo } : {}) });
    } catch (error) {
      problem = (error as Error).message;
    }
    const state: Running = { entry, prepared, problem, catchingUp: false, live: true };
    running.set(entry.name, state);
    if (prepared === null) {
      engine.setConnection({ connected: false, source: entry.name, reason: problem ?? 'not configured' });
      logger.warn(`source “${entry.name}” cannot start: ${problem}`);
      return;
    }
    try {
      await prepared.start(sinkFor(state));
    } catch (error) {
      const message = (error as Error).message;
      running.set(entry.name, { ...state, problem: `Could not start ${prepared.label}: ${message}` });
      engine.setConnection({ connected: false, source: entry.name, reason: message });
      logger.warn(`source “${entry.name}” could not start`, { error: message });
    }
  };

  const stopOne = async (name: string, forget: boolean): Promise<void> => {
    const state = running.get(name);
    if (!state) return;
    state.live = false;
    running.delete(name);
    endCatchUpOf(state);
    await state.prepared?.stop().catch((error: Error) => logger.warn(`stopping source “${name}” failed`, { error: error.message }));
    if (forget) engine.forgetConnection(name);
  };

  return {
    engine,
    async start() {
      await Promise.all(options.settings.sources.map(startOne));
    },
    async apply(next, { restart = [] } = {}) {
      engine.updateSettings(next);
      const wanted = new Map(next.sources.map((entry) => [entry.name, entry]));
      // Read before stopping: a stopped source leaves `running`.
      const removed = [...running.values()].filter((state) => !wanted.has(state.entry.name)).map((state) => state.entry);
      const stops: Promise<void>[] = [];
      for (const name of [...running.keys()]) {
        const entry = wanted.get(name);
        if (entry === undefined) stops.push(stopOne(name, true));
        else if (restart.includes(name) || !sameEntry(entry, running.get(name)!.entry)) stops.push(stopOne(name, false));
      }
      await Promise.all(stops);
      await forgetCursorFiles(removed, next.sources, options.folder, logger);
      await Promise.all(next.sources.filter((entry) => !running.has(entry.name)).map(startOne));
    },
    sources() {
      return [...running.values()].map((state) => ({
        name: state.entry.name,
        kind: state.entry.kind,
        label: state.prepared?.label ?? null,
        problem: state.problem,
      }));
    },
    async stop() {
      await Promise.all([...running.keys()].map((name) => stopOne(name, false)));
      engine.close();
    },
  };
}

/**
 * A removed relay's cursor file goes with it (after its source stopped, which saves the cursor
 * last), unless another source still reads the same relay: a relay added again later starts from
 * now, like a new one, rather than replaying what happened while it was gone.
 */
async function forgetCursorFiles(removed: readonly SourceSettings[], kept: readonly SourceSettings[], folder: string, logger: Logger): Promise<void> {
  const stillUsed = new Set(kept.map(cursorFileOf));
  for (const file of new Set(removed.map(cursorFileOf))) {
    if (file === undefined || stillUsed.has(file)) continue;
    await rm(path.join(folder, file), { force: true }).catch((error: unknown) => logger.warn('could not remove a removed relay\'s cursor file', { file, error: String(error) }));
  }
}

/** The same source settings, whatever order their keys were written in (a file, the window, a flag). */
function sameEntry(a: SourceSettings, b: SourceSettings): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : item,
  );
}
