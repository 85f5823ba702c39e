/**
 * The way from "this build made a transition the user wants to hear about" to the notifier:
 * a catch-up in progress collects it, otherwise the burst coalescer decides whether it shows
 * now or is folded into a summary. Also remembers what was shown, for clicks and for updating a
 * build's notification when its tasks finish.
 */
import type { TrackedBuild } from '../../core/engine/buildTracker.js';
import { BurstCoalescer } from '../../core/engine/burstCoalescer.js';
import { CatchUpDigest } from '../../core/engine/catchUpDigest.js';
import { buildNotificationKey, describeBuildNotification, isCritical } from '../../core/engine/notificationContent.js';
import type { NotificationCandidate } from '../../core/engine/summary.js';
import type { Transition } from '../../core/engine/transition.js';
import type { OnItName } from '../../core/engine/trayText.js';
import type { Clock, Logger, NotificationIntent, NotifierPort } from '../../core/ports.js';
import type { NamedTimers } from './timers.js';

const MAX_REMEMBERED = 200;

export interface PipelineOptions {
  readonly notifier: NotifierPort;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly timers: NamedTimers<'flush'>;
  /** Whether approve and re-run can be offered for a build (a source holds a token for its CI). */
  readonly canAct: (build: TrackedBuild) => boolean;
  /** Who is on a build ("I'm on it"), the user first: said in its notification. Default: nobody. */
  readonly onIt?: (buildKey: string) => readonly OnItName[];
  readonly burstThreshold: number;
  readonly burstWindowMs: number;
}

export class NotificationPipeline {
  readonly #options: PipelineOptions;
  readonly #digest = new CatchUpDigest();
  #coalescer: BurstCoalescer;
  /** The last notification shown per key: what a click opens, and what an update compares with. */
  readonly #shown = new Map<string, NotificationIntent>();
  /** The transition behind each build's latest notification, so task news can update it. */
  readonly #notified = new Map<string, Transition>();

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#coalescer = new BurstCoalescer({ threshold: options.burstThreshold, windowMs: options.burstWindowMs });
  }

  get burstWindowMs(): number {
    return this.#coalescer.windowMs;
  }

  /** New thresholds; a burst under way is forgotten (its summary is already on screen). */
  setBurst(threshold: number, windowMs: number): void {
    if (threshold === this.#coalescer.threshold && windowMs === this.#coalescer.windowMs) return;
    this.#coalescer = new BurstCoalescer({ threshold, windowMs });
    this.#options.timers.cancel('flush');
  }

  /** A transition the user wants to hear about, banners allowed. */
  notify(build: TrackedBuild, transition: Transition, at: number): void {
    remember(this.#notified, buildNotificationKey(build.key), transition);
    this.#offer(this.#candidate(build, transition, at));
  }

  /** The build moved on to news the user does not want: its old notification is not updated any more. */
  forget(build: TrackedBuild): void {
    this.#notified.delete(buildNotificationKey(build.key));
  }

  /** Task news for a build whose notification is out: the same notification, with what is known now. */
  update(build: TrackedBuild, at: number): void {
    const key = buildNotificationKey(build.key);
    const transition = this.#notified.get(key);
    if (!transition) return;
    const candidate = this.#candidate(build, transition, at);
    if (this.#digest.collect(candidate)) return;
    const shown = this.#shown.get(key);
    if (shown) {
      if (!sameContent(shown, candidate.intent)) this.show({ ...candidate.intent, quiet: true });
    } else if (this.#coalescer.isHeld(key)) {
      this.#offer(candidate);
    }
  }

  /**
   * True when this build's notification is out (or held for a burst) about a failure and is
   * updated with task news: worth explaining. Not during a catch-up, whose news is old.
   */
  explainsFailure(build: TrackedBuild): boolean {
    if (this.#digest.active) return false;
    const transition = this.#notified.get(buildNotificationKey(build.key));
    return transition !== undefined && isCritical(transition);
  }

  beginCatchUp(): void {
    this.#digest.begin();
  }

  endCatchUp(): void {
    const intent = this.#digest.end();
    if (intent) this.show(intent);
  }

  /** The url of the notification last shown with this key. */
  shownUrl(key: string): string | undefined {
    return this.#shown.get(key)?.url;
  }

  /** Shows now, bypassing coalescing: summaries, action errors, updates. */
  show(intent: NotificationIntent): void {
    remember(this.#shown, intent.key, intent);
    this.#options.notifier.show(intent).catch((error: unknown) => {
      this.#options.logger.error('could not show a notification', { key: intent.key, error: String(error) });
    });
  }

  #candidate(build: TrackedBuild, transition: Transition, at: number): NotificationCandidate {
    const intent = describeBuildNotification(build, transition, {
      actionsAvailable: this.#options.canAct(build),
      onIt: this.#options.onIt?.(build.key) ?? [],
    });
    return { intent, transition, slug: build.slug, at };
  }

  #offer(candidate: NotificationCandidate): void {
    if (this.#digest.collect(candidate)) return;
    for (const intent of this.#coalescer.offer(candidate, this.#options.clock())) this.show(intent);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    const at = this.#coalescer.nextFlushAt();
    if (at === null) return this.#options.timers.cancel('flush');
    this.#options.timers.schedule('flush', at, () => {
      for (const intent of this.#coalescer.flush(this.#options.clock())) this.show(intent);
      this.#scheduleFlush();
    });
  }
}

function sameContent(a: NotificationIntent, b: NotificationIntent): boolean {
  // Buttons by id: "I'm on it" becoming "I'm not on it any more" is a change worth the update.
  return a.title === b.title && a.body === b.body && a.url === b.url && a.actions.map((action) => action.id).join() === b.actions.map((action) => action.id).join();
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value!);
}
