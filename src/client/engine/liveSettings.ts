/**
 * The settings as the engine holds them: the commands that change them from the tray (mute,
 * unmute, pause, resume), what they mean at a given instant (which builds show, whether a banner
 * may appear), and the timer that ends a pause.
 *
 * Two ways in, kept apart on purpose: a change the engine makes itself goes to the `onChange`
 * listeners, which persist it; settings from outside (`replace`: the settings window, a reloaded
 * file) are not echoed back, so a file the caller just loaded is not written again.
 */
import {
  bannerDecision,
  isPaused,
  isWithinQuietHours,
  type BannerDecision,
  type VisibilityRules,
} from '../../core/engine/filters.js';
import type { Transition } from '../../core/engine/transition.js';
import type { Clock, Logger } from '../../core/ports.js';
import { Listeners } from './listeners.js';
import type { Settings } from '../settings/schema.js';
import type { NamedTimers } from './timers.js';

export interface EngineSettingsOptions {
  readonly initial: Settings;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Minutes since local midnight at an instant, for quiet hours. */
  readonly localMinutesOfDay: (epochMs: number) => number;
  readonly timers: NamedTimers<'pause' | 'quiet-hours'>;
  /** Runs whenever settings take effect, from either way in, before any listener hears of them. */
  readonly onApply: (settings: Settings) => void;
  /** The tray shows settings (paused, quiet hours, muted builds): redraw it. */
  readonly refreshTray: () => void;
}

export class EngineSettings {
  readonly #options: EngineSettingsOptions;
  readonly #listeners: Listeners<Settings>;
  #current: Settings;
  /** Whether quiet hours were in force at the last check, to redraw the tray only on a change. */
  #quiet: boolean;

  constructor(options: EngineSettingsOptions) {
    this.#options = options;
    this.#current = options.initial;
    this.#listeners = new Listeners(options.logger, 'a settings listener failed');
    this.#quiet = this.isQuietHoursAt(options.clock());
    this.#schedulePauseEnd();
    this.#scheduleQuietHoursCheck();
  }

  get current(): Settings {
    return this.#current;
  }

  mute(pattern: string): void {
    if (this.#current.mutedRepositories.includes(pattern)) return;
    this.#change({ ...this.#current, mutedRepositories: [...this.#current.mutedRepositories, pattern] });
  }

  unmute(pattern: string): void {
    if (!this.#current.mutedRepositories.includes(pattern)) return;
    const mutedRepositories = this.#current.mutedRepositories.filter((muted) => muted !== pattern);
    this.#change({ ...this.#current, mutedRepositories });
  }

  pauseUntil(epochMs: number): void {
    this.#change({ ...this.#current, pausedUntil: new Date(epochMs).toISOString() });
  }

  resume(): void {
    this.#change({ ...this.#current, pausedUntil: null });
  }

  /** Settings from outside: applied, shown in the tray, not told to `onChange` listeners. */
  replace(settings: Settings): void {
    this.#apply(settings);
    this.#options.refreshTray();
  }

  /** Hears of changes the engine made itself (mute, pause). Returns an unsubscribe. */
  onChange(listener: (settings: Settings) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Stops the pause timer and drops the listeners. */
  close(): void {
    this.#options.timers.stop();
    this.#listeners.clear();
  }

  visibilityRules(): VisibilityRules {
    const { mutedRepositories, branches, onlyMine } = this.#current;
    return { mutedRepositories, branchPatterns: branches, onlyMine };
  }

  /** Whether this kind of transition is switched on at all. */
  wantsNotification(transition: Transition): boolean {
    return this.#current.notifications[transition];
  }

  /** Whether a banner may appear now, or why not (paused, quiet hours). */
  bannerDecision(now: number): BannerDecision {
    const rules = { quietHours: this.#current.quietHours, pausedUntil: this.#pausedUntil() };
    return bannerDecision(rules, now, this.#options.localMinutesOfDay(now));
  }

  /** When the pause in force at `now` ends, or null when not paused (an expired pause is none). */
  pausedUntilAt(now: number): number | null {
    const pausedUntil = this.#pausedUntil();
    return isPaused(pausedUntil, now) ? pausedUntil : null;
  }

  isQuietHoursAt(now: number): boolean {
    return isWithinQuietHours(this.#current.quietHours, this.#options.localMinutesOfDay(now));
  }

  #change(settings: Settings): void {
    this.#apply(settings);
    this.#listeners.emit(settings);
    this.#options.refreshTray();
  }

  #apply(settings: Settings): void {
    this.#current = settings;
    this.#options.onApply(settings);
    this.#quiet = this.isQuietHoursAt(this.#options.clock());
    this.#schedulePauseEnd();
    this.#scheduleQuietHoursCheck();
  }

  /** The tray must flip from "paused" when the pause ends, even if no event arrives then. */
  #schedulePauseEnd(): void {
    const until = this.#pausedUntil();
    if (until === null || !isPaused(until, this.#options.clock())) return this.#options.timers.cancel('pause');
    this.#options.timers.schedule('pause', until, () => this.#options.refreshTray());
  }

  /**
   * The tray shows quiet hours too, and they begin and end with no event to trigger a redraw. A
   * check once a minute, only while quiet hours are enabled, redraws it when the state flips
   * (a minute is their resolution: they are set as HH:MM).
   */
  #scheduleQuietHoursCheck(): void {
    const { timers, clock, refreshTray } = this.#options;
    if (!this.#current.quietHours.enabled) return timers.cancel('quiet-hours');
    timers.schedule('quiet-hours', clock() + 60_000, () => {
      const quiet = this.isQuietHoursAt(clock());
      if (quiet !== this.#quiet) {
        this.#quiet = quiet;
        refreshTray();
      }
      this.#scheduleQuietHoursCheck();
    });
  }

  #pausedUntil(): number | null {
    return this.#current.pausedUntil === null ? null : Date.parse(this.#current.pausedUntil);
  }
}
