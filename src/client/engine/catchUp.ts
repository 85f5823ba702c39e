/**
 * When a catch-up (the replay of what happened while away) starts and ends. During one the
 * notification pipeline holds every notification back and shows a single one for the whole
 * replay at the end, instead of a banner per old build.
 *
 * A catch-up is either explicit (`begin()`, ended only by `end()`: the source knows where its
 * replay stops) or implicit (started by the first event flagged as a replay, for sources that
 * cannot say where it stops). An implicit one also ends at the first unflagged event, or after a
 * burst window with no event at all, so a replay whose end is never marked cannot silence
 * notifications for good.
 */
import type { NotificationPipeline } from './notificationPipeline.js';
import type { NamedTimers } from './timers.js';

export interface CatchUpOptions {
  readonly pipeline: Pick<NotificationPipeline, 'beginCatchUp' | 'endCatchUp' | 'burstWindowMs'>;
  readonly timers: NamedTimers<'catch-up'>;
  /** After the replay's notification: the tray shows what the replay changed. */
  readonly onEnd: () => void;
}

export class CatchUp {
  readonly #options: CatchUpOptions;
  /** How the current catch-up ends: `explicit` only by `end()`, `implicit` also by itself. */
  #mode: 'explicit' | 'implicit' | null = null;

  constructor(options: CatchUpOptions) {
    this.#options = options;
  }

  begin(): void {
    this.#options.pipeline.beginCatchUp();
    this.#mode = 'explicit';
    this.#options.timers.cancel('catch-up');
  }

  end(): void {
    this.#mode = null;
    this.#options.timers.cancel('catch-up');
    this.#options.pipeline.endCatchUp();
    this.#options.onEnd();
  }

  /** Before an event is applied: a flagged one may start an implicit catch-up, an unflagged one ends it. */
  beforeEvent(isReplay: boolean): void {
    if (isReplay && this.#mode === null) {
      this.#options.pipeline.beginCatchUp();
      this.#mode = 'implicit';
    } else if (!isReplay && this.#mode === 'implicit') {
      this.end();
    }
  }

  /** After an event that changed something: an implicit catch-up lasts one more burst window. */
  afterEvent(now: number): void {
    if (this.#mode !== 'implicit') return;
    this.#options.timers.schedule('catch-up', now + this.#options.pipeline.burstWindowMs, () => this.end());
  }

  stop(): void {
    this.#options.timers.stop();
  }
}
