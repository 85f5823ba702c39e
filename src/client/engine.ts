/**
 * The engine: the pure core (tracking, transitions, filters, content, coalescing, tray model)
 * wired to its ports. The same engine runs in Electron and in `buildbell watch`; only the ports
 * differ. It does no I/O of its own: notifications go to the notifier, pages to the opener,
 * approvals to the actions port, and settings changes (mute, pause) to `onSettingsChange`
 * listeners, which persist them.
 *
 * Time: `clock` says what time it is; `timers` (default: Node's, unref'd so they never keep a
 * process alive) wake the engine to update a burst summary, end an unmarked catch-up and flip
 * the tray when a pause ends. Tests pass fake ones.
 */
import { BuildTracker, type TrackedBuild } from '../core/engine/build-tracker.js';
import {
  bannerDecision,
  buildVisibility,
  isPaused,
  isWithinQuietHours,
  localMinutesOfDay,
  type BannerRules,
  type VisibilityRules,
} from '../core/engine/filters.js';
import { bestUrl, buildPlace, transitionWords } from '../core/engine/notification-content.js';
import { detectTransition, type Transition } from '../core/engine/transition.js';
import { buildTrayModel, type ConnectionStatus, type TrayEvent, type TrayModel } from '../core/engine/tray-model.js';
import type { NormalisedEvent } from '../core/event.js';
import type { BuildActionsPort, Clock, Logger, NotificationActionId, NotifierPort, OpenerPort } from '../core/ports.js';
import { silentLogger } from '../core/ports.js';
import { runActivation } from './engine-actions.js';
import { NotificationPipeline } from './notification-pipeline.js';
import type { Settings } from './settings/schema.js';
import { NamedTimers, systemTimers, type TimersPort } from './timers.js';

export { systemTimers, type TimersPort } from './timers.js';

export interface EngineOptions {
  /** Parsed settings (see `settingsSchema`). */
  readonly settings: Settings;
  readonly clock: Clock;
  readonly notifier: NotifierPort;
  /** Approve and re-run. Absent (no token with WRITE): no such buttons, and a clear error if asked. */
  readonly actions?: BuildActionsPort;
  readonly opener: OpenerPort;
  /** Default: silent. */
  readonly logger?: Logger;
  /** Default: `systemTimers`. */
  readonly timers?: TimersPort;
  /** Minutes since local midnight at an instant, for quiet hours. Default: the process's time zone. */
  readonly localMinutesOfDay?: (epochMs: number) => number;
}

export interface HandleOptions {
  /**
   * The event is a replay of what happened while away. Without `beginCatchUp()`, flagged events
   * start a catch-up that ends at `endCatchUp()`, at the first unflagged event, or after a burst
   * window with no event.
   */
  readonly catchUp?: boolean;
}

export interface ConnectionUpdate {
  readonly connected: boolean;
  /** Where events come from, for people: "relay relay.acme.dev", "Cirrus API", "demo". */
  readonly source: string;
  /** Why not connected, e.g. "reconnecting in 8 s". */
  readonly reason?: string | null;
}

export interface Engine {
  /** Folds in one event; shows, updates or holds back its notification; refreshes the tray. */
  handle(event: NormalisedEvent, options?: HandleOptions): void;
  /** Holds every notification until `endCatchUp()`, which shows one for the whole replay. */
  beginCatchUp(): void;
  endCatchUp(): void;
  setConnection(update: ConnectionUpdate): void;
  /** Adds a repository glob to the muted list (a settings change). */
  mute(pattern: string): void;
  /** Removes a muted glob exactly as listed (the tray gives it as `mutedBy`). */
  unmute(pattern: string): void;
  /** No banners until this instant (epoch ms); the tray still updates. */
  pauseUntil(epochMs: number): void;
  resume(): void;
  /** Settings from outside (the settings window, a reloaded file); not echoed to `onSettingsChange`. */
  updateSettings(settings: Settings): void;
  settings(): Settings;
  /** Settings the engine changed itself (mute, pause): the caller saves them. Returns an unsubscribe. */
  onSettingsChange(listener: (settings: Settings) => void): () => void;
  trayModel(): TrayModel;
  onTrayModelChange(listener: (model: TrayModel) => void): () => void;
  /** What a click does, for notifications and tray items alike; also wired to `notifier.onActivate`. */
  activate(key: string, action: NotificationActionId): Promise<void>;
  /** Stops the timers; later calls do nothing. Does not close the notifier (the caller owns it). */
  close(): void;
}

const MAX_EVENTS = 50;
const MAX_REPOSITORIES = 500;

export function createEngine(options: EngineOptions): Engine {
  return new BuildEngine(options);
}

class BuildEngine implements Engine {
  readonly #clock: Clock;
  readonly #notifier: NotifierPort;
  readonly #actions: BuildActionsPort | undefined;
  readonly #opener: OpenerPort;
  readonly #logger: Logger;
  readonly #localMinutes: (epochMs: number) => number;
  readonly #tracker = new BuildTracker();
  readonly #timers: NamedTimers<'catch-up' | 'pause'>;
  readonly #flushTimer: NamedTimers<'flush'>;
  readonly #pipeline: NotificationPipeline;
  #settings: Settings;
  /** How the current catch-up ends: `explicit` only by `endCatchUp()`, `implicit` also by itself. */
  #catchUp: 'explicit' | 'implicit' | null = null;
  /** Newest first. */
  #events: TrayEvent[] = [];
  readonly #repositories = new Set<string>();
  #connection: ConnectionStatus;
  #lastEventAt: number | null = null;
  readonly #trayListeners = new Set<(model: TrayModel) => void>();
  readonly #settingsListeners = new Set<(settings: Settings) => void>();
  #closed = false;

  constructor(options: EngineOptions) {
    this.#settings = options.settings;
    this.#clock = options.clock;
    this.#notifier = options.notifier;
    this.#actions = options.actions;
    this.#opener = options.opener;
    this.#logger = options.logger ?? silentLogger;
    this.#localMinutes = options.localMinutesOfDay ?? localMinutesOfDay;
    this.#timers = new NamedTimers(options.timers ?? systemTimers, this.#clock);
    this.#flushTimer = new NamedTimers(options.timers ?? systemTimers, this.#clock);
    this.#pipeline = new NotificationPipeline({
      notifier: this.#notifier,
      logger: this.#logger,
      clock: this.#clock,
      timers: this.#flushTimer,
      actionsAvailable: this.#actions !== undefined,
      burstThreshold: this.#settings.coalescing.burstThreshold,
      burstWindowMs: this.#settings.coalescing.burstWindowSeconds * 1000,
    });
    this.#connection = { connected: false, source: 'none', since: this.#clock(), reason: 'not connected yet' };
    this.#notifier.onActivate((key, action) => void this.activate(key, action));
    this.#schedulePauseEnd();
  }

  handle(event: NormalisedEvent, options: HandleOptions = {}): void {
    if (this.#closed) return;
    const now = this.#clock();
    if (options.catchUp && this.#catchUp === null) {
      this.#pipeline.beginCatchUp();
      this.#catchUp = 'implicit';
    } else if (!options.catchUp && this.#catchUp === 'implicit') {
      this.endCatchUp();
    }
    const result = this.#tracker.apply(event);
    if (result.kind === 'duplicate') return;
    const build = result.after;
    this.#lastEventAt = now;
    this.#rememberRepository(build.slug);
    if (buildVisibility(build, this.#visibilityRules()) === 'visible') {
      const transition = result.stateChanged
        ? detectTransition(result.before?.state, build.state, result.branchBefore)
        : null;
      if (transition) {
        this.#recordEvent({
          at: event.receivedAt,
          text: `${buildPlace(build)} ${transitionWords(transition)}`,
          kind: 'build',
          buildKey: build.key,
          url: bestUrl(build),
        });
        this.#notify(build, transition, event.receivedAt, now);
      } else if (result.tasksChanged && this.#bannersAllowed(now)) {
        this.#pipeline.update(build, event.receivedAt);
      }
    }
    if (this.#catchUp === 'implicit') {
      this.#timers.schedule('catch-up', now + this.#pipeline.burstWindowMs, () => this.endCatchUp());
    }
    this.#emitTrayModel();
  }

  beginCatchUp(): void {
    this.#pipeline.beginCatchUp();
    this.#catchUp = 'explicit';
    this.#timers.cancel('catch-up');
  }

  endCatchUp(): void {
    this.#catchUp = null;
    this.#timers.cancel('catch-up');
    this.#pipeline.endCatchUp();
    this.#emitTrayModel();
  }

  setConnection(update: ConnectionUpdate): void {
    const previous = this.#connection;
    const changed = previous.connected !== update.connected || previous.source !== update.source;
    this.#connection = {
      connected: update.connected,
      source: update.source,
      since: changed ? this.#clock() : previous.since,
      reason: update.connected ? null : (update.reason ?? null),
    };
    this.#emitTrayModel();
  }

  mute(pattern: string): void {
    if (this.#settings.mutedRepositories.includes(pattern)) return;
    this.#changeSettings({ ...this.#settings, mutedRepositories: [...this.#settings.mutedRepositories, pattern] });
  }

  unmute(pattern: string): void {
    if (!this.#settings.mutedRepositories.includes(pattern)) return;
    const mutedRepositories = this.#settings.mutedRepositories.filter((muted) => muted !== pattern);
    this.#changeSettings({ ...this.#settings, mutedRepositories });
  }

  pauseUntil(epochMs: number): void {
    this.#changeSettings({ ...this.#settings, pausedUntil: new Date(epochMs).toISOString() });
  }

  resume(): void {
    this.#changeSettings({ ...this.#settings, pausedUntil: null });
  }

  updateSettings(settings: Settings): void {
    this.#applySettings(settings);
    this.#emitTrayModel();
  }

  settings(): Settings {
    return this.#settings;
  }

  onSettingsChange(listener: (settings: Settings) => void): () => void {
    this.#settingsListeners.add(listener);
    return () => this.#settingsListeners.delete(listener);
  }

  trayModel(): TrayModel {
    const now = this.#clock();
    const pausedUntil = this.#pausedUntil();
    return buildTrayModel({
      builds: this.#tracker.builds(),
      branchOutcomes: this.#tracker.branchOutcomes(),
      events: this.#events,
      repositories: [...this.#repositories],
      visibility: this.#visibilityRules(),
      connection: this.#connection,
      lastEventAt: this.#lastEventAt,
      pausedUntil: isPaused(pausedUntil, now) ? pausedUntil : null,
      quietHours: isWithinQuietHours(this.#settings.quietHours, this.#localMinutes(now)),
      actionsAvailable: this.#actions !== undefined,
      limits: { builds: this.#settings.tray.recentBuilds, events: this.#settings.tray.recentEvents },
    });
  }

  onTrayModelChange(listener: (model: TrayModel) => void): () => void {
    this.#trayListeners.add(listener);
    return () => this.#trayListeners.delete(listener);
  }

  async activate(key: string, action: NotificationActionId): Promise<void> {
    const outcome = await runActivation(
      {
        opener: this.#opener,
        actions: this.#actions,
        logger: this.#logger,
        findBuild: (buildKey) => this.#tracker.get(buildKey),
        shownUrl: (notificationKey) => this.#pipeline.shownUrl(notificationKey),
      },
      key,
      action,
    );
    if (!outcome || this.#closed) return;
    this.#recordEvent({ at: this.#clock(), text: outcome.text, kind: outcome.kind, buildKey: outcome.buildKey, url: outcome.url });
    if (outcome.notification) this.#pipeline.show(outcome.notification);
    this.#emitTrayModel();
  }

  close(): void {
    this.#closed = true;
    this.#timers.stop();
    this.#flushTimer.stop();
    this.#trayListeners.clear();
    this.#settingsListeners.clear();
  }

  /** A transition's notification, when switched on and banners are allowed now. */
  #notify(build: TrackedBuild, transition: Transition, at: number, now: number): void {
    if (!this.#settings.notifications[transition]) return this.#pipeline.forget(build);
    const decision = bannerDecision(this.#bannerRules(), now, this.#localMinutes(now));
    if (decision !== 'allowed') {
      this.#logger.info('banner held back', { build: build.key, transition, reason: decision });
      return;
    }
    this.#pipeline.notify(build, transition, at);
  }

  #bannersAllowed(now: number): boolean {
    return bannerDecision(this.#bannerRules(), now, this.#localMinutes(now)) === 'allowed';
  }

  #changeSettings(settings: Settings): void {
    this.#applySettings(settings);
    for (const listener of this.#settingsListeners) {
      try {
        listener(settings);
      } catch (error) {
        this.#logger.error('a settings listener failed', { error: String(error) });
      }
    }
    this.#emitTrayModel();
  }

  #applySettings(settings: Settings): void {
    this.#settings = settings;
    this.#pipeline.setBurst(settings.coalescing.burstThreshold, settings.coalescing.burstWindowSeconds * 1000);
    this.#schedulePauseEnd();
  }

  /** The tray must flip from "paused" when the pause ends, even if no event arrives then. */
  #schedulePauseEnd(): void {
    const until = this.#pausedUntil();
    if (until === null || !isPaused(until, this.#clock())) return this.#timers.cancel('pause');
    this.#timers.schedule('pause', until, () => this.#emitTrayModel());
  }

  #pausedUntil(): number | null {
    return this.#settings.pausedUntil === null ? null : Date.parse(this.#settings.pausedUntil);
  }

  #visibilityRules(): VisibilityRules {
    const { mutedRepositories, branches, onlyMine } = this.#settings;
    return { mutedRepositories, branchPatterns: branches, onlyMine };
  }

  #bannerRules(): BannerRules {
    return { quietHours: this.#settings.quietHours, pausedUntil: this.#pausedUntil() };
  }

  #recordEvent(event: TrayEvent): void {
    this.#events = [event, ...this.#events].slice(0, MAX_EVENTS);
  }

  #rememberRepository(slug: string): void {
    this.#repositories.delete(slug);
    this.#repositories.add(slug);
    if (this.#repositories.size > MAX_REPOSITORIES) this.#repositories.delete(this.#repositories.values().next().value!);
  }

  #emitTrayModel(): void {
    if (this.#trayListeners.size === 0) return;
    const model = this.trayModel();
    for (const listener of this.#trayListeners) {
      try {
        listener(model);
      } catch (error) {
        this.#logger.error('a tray listener failed', { error: String(error) });
      }
    }
  }
}
