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
import { BurstCoalescer } from '../core/engine/burst-coalescer.js';
import { CatchUpDigest } from '../core/engine/catch-up-digest.js';
import {
  bannerDecision,
  buildVisibility,
  isPaused,
  isWithinQuietHours,
  localMinutesOfDay,
  type BannerRules,
  type VisibilityRules,
} from '../core/engine/filters.js';
import {
  bestUrl,
  buildNotificationKey,
  buildPlace,
  describeBuildNotification,
  transitionWords,
} from '../core/engine/notification-content.js';
import type { NotificationCandidate } from '../core/engine/summary.js';
import { detectTransition, type Transition } from '../core/engine/transition.js';
import { buildTrayModel, type ConnectionStatus, type TrayEvent, type TrayModel } from '../core/engine/tray-model.js';
import type { NormalisedEvent } from '../core/event.js';
import type {
  BuildActionsPort,
  Clock,
  Logger,
  NotificationActionId,
  NotificationIntent,
  NotifierPort,
  OpenerPort,
} from '../core/ports.js';
import { silentLogger } from '../core/ports.js';
import { runActivation } from './engine-actions.js';
import type { Settings } from './settings/schema.js';

export interface TimersPort {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, unref'd: a pending summary never keeps `buildbell watch` from exiting. */
export const systemTimers: TimersPort = {
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

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
const MAX_REMEMBERED_NOTIFICATIONS = 200;

type TimerName = 'flush' | 'catch-up' | 'pause';

export function createEngine(options: EngineOptions): Engine {
  return new BuildEngine(options);
}

class BuildEngine implements Engine {
  readonly #clock: Clock;
  readonly #notifier: NotifierPort;
  readonly #actions: BuildActionsPort | undefined;
  readonly #opener: OpenerPort;
  readonly #logger: Logger;
  readonly #timers: TimersPort;
  readonly #localMinutes: (epochMs: number) => number;
  readonly #tracker = new BuildTracker();
  readonly #digest = new CatchUpDigest();
  #settings: Settings;
  #coalescer: BurstCoalescer;
  /** How the current catch-up ends: `explicit` only by `endCatchUp()`, `implicit` also by itself. */
  #catchUp: 'explicit' | 'implicit' | null = null;
  /** Newest first. */
  #events: TrayEvent[] = [];
  readonly #repositories = new Set<string>();
  #connection: ConnectionStatus;
  #lastEventAt: number | null = null;
  /** The last notification shown per key: what a click opens, and what an update compares with. */
  readonly #shown = new Map<string, NotificationIntent>();
  /** The transition behind each build's latest notification, so task news can update it. */
  readonly #notified = new Map<string, Transition>();
  readonly #timerHandles = new Map<TimerName, unknown>();
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
    this.#timers = options.timers ?? systemTimers;
    this.#localMinutes = options.localMinutesOfDay ?? localMinutesOfDay;
    this.#coalescer = this.#newCoalescer();
    this.#connection = { connected: false, source: 'none', since: this.#clock(), reason: 'not connected yet' };
    this.#notifier.onActivate((key, action) => void this.activate(key, action));
    this.#schedulePauseEnd();
  }

  handle(event: NormalisedEvent, options: HandleOptions = {}): void {
    if (this.#closed) return;
    const now = this.#clock();
    if (options.catchUp && this.#catchUp === null) {
      this.#digest.begin();
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
      } else if (result.tasksChanged) {
        this.#updateNotification(build, event.receivedAt, now);
      }
    }
    if (this.#catchUp === 'implicit') {
      this.#schedule('catch-up', now + this.#coalescer.windowMs, () => this.endCatchUp());
    }
    this.#emitTrayModel();
  }

  beginCatchUp(): void {
    this.#digest.begin();
    this.#catchUp = 'explicit';
    this.#cancel('catch-up');
  }

  endCatchUp(): void {
    this.#catchUp = null;
    this.#cancel('catch-up');
    const intent = this.#digest.end();
    if (intent) this.#show(intent);
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
        shownUrl: (notificationKey) => this.#shown.get(notificationKey)?.url,
      },
      key,
      action,
    );
    if (!outcome || this.#closed) return;
    this.#recordEvent({ at: this.#clock(), text: outcome.text, kind: outcome.kind, buildKey: outcome.buildKey, url: outcome.url });
    if (outcome.notification) this.#show(outcome.notification);
    this.#emitTrayModel();
  }

  close(): void {
    this.#closed = true;
    for (const name of [...this.#timerHandles.keys()]) this.#cancel(name);
    this.#trayListeners.clear();
    this.#settingsListeners.clear();
  }

  /** A transition's notification: switched on, banner allowed, then the catch-up or the coalescer. */
  #notify(build: TrackedBuild, transition: Transition, at: number, now: number): void {
    const key = buildNotificationKey(build.key);
    if (!this.#settings.notifications[transition]) {
      // The build moved on to news the user does not want: its old banner no longer describes it.
      this.#notified.delete(key);
      return;
    }
    const decision = bannerDecision(this.#bannerRules(), now, this.#localMinutes(now));
    if (decision !== 'allowed') {
      this.#logger.info('banner held back', { build: build.key, transition, reason: decision });
      return;
    }
    remember(this.#notified, key, transition);
    this.#offer(this.#candidate(build, transition, at), now);
  }

  /** Task news for a build whose notification is out: the same notification, with what is known now. */
  #updateNotification(build: TrackedBuild, at: number, now: number): void {
    const key = buildNotificationKey(build.key);
    const transition = this.#notified.get(key);
    if (!transition || bannerDecision(this.#bannerRules(), now, this.#localMinutes(now)) !== 'allowed') return;
    const candidate = this.#candidate(build, transition, at);
    if (this.#digest.collect(candidate)) return;
    const shown = this.#shown.get(key);
    if (shown) {
      if (!sameContent(shown, candidate.intent)) this.#show(candidate.intent);
    } else if (this.#coalescer.isHeld(key)) {
      this.#offer(candidate, now);
    }
  }

  #candidate(build: TrackedBuild, transition: Transition, at: number): NotificationCandidate {
    const intent = describeBuildNotification(build, transition, { actionsAvailable: this.#actions !== undefined });
    return { intent, transition, slug: build.slug, at };
  }

  #offer(candidate: NotificationCandidate, now: number): void {
    if (this.#digest.collect(candidate)) return;
    for (const intent of this.#coalescer.offer(candidate, now)) this.#show(intent);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    const at = this.#coalescer.nextFlushAt();
    if (at === null) return this.#cancel('flush');
    this.#schedule('flush', at, () => {
      for (const intent of this.#coalescer.flush(this.#clock())) this.#show(intent);
      this.#scheduleFlush();
    });
  }

  #show(intent: NotificationIntent): void {
    remember(this.#shown, intent.key, intent);
    this.#notifier.show(intent).catch((error: unknown) => {
      this.#logger.error('could not show a notification', { key: intent.key, error: String(error) });
    });
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
    const before = this.#settings.coalescing;
    this.#settings = settings;
    if (before.burstThreshold !== settings.coalescing.burstThreshold || before.burstWindowSeconds !== settings.coalescing.burstWindowSeconds) {
      // A burst under way is forgotten: its summary is already on screen.
      this.#coalescer = this.#newCoalescer();
      this.#cancel('flush');
    }
    this.#schedulePauseEnd();
  }

  #newCoalescer(): BurstCoalescer {
    const { burstThreshold, burstWindowSeconds } = this.#settings.coalescing;
    return new BurstCoalescer({ threshold: burstThreshold, windowMs: burstWindowSeconds * 1000 });
  }

  /** The tray must flip from "paused" when the pause ends, even if no event arrives then. */
  #schedulePauseEnd(): void {
    const until = this.#pausedUntil();
    if (until === null || !isPaused(until, this.#clock())) return this.#cancel('pause');
    this.#schedule('pause', until, () => this.#emitTrayModel());
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

  #schedule(name: TimerName, at: number, callback: () => void): void {
    this.#cancel(name);
    if (this.#closed) return;
    const handle = this.#timers.setTimeout(() => {
      this.#timerHandles.delete(name);
      if (!this.#closed) callback();
    }, Math.max(0, at - this.#clock()));
    this.#timerHandles.set(name, handle);
  }

  #cancel(name: TimerName): void {
    if (!this.#timerHandles.has(name)) return;
    this.#timers.clearTimeout(this.#timerHandles.get(name));
    this.#timerHandles.delete(name);
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

function sameContent(a: NotificationIntent, b: NotificationIntent): boolean {
  return a.title === b.title && a.body === b.body && a.url === b.url && a.actions.length === b.actions.length;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_REMEMBERED_NOTIFICATIONS) map.delete(map.keys().next().value!);
}
