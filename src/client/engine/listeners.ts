/**
 * Subscribers to one kind of news from the engine (tray model, settings changes). A subscriber
 * that throws is logged and skipped: one broken window or file writer must not stop the others,
 * nor the event that caused the news.
 */
import type { Logger } from '../../core/ports.js';

export class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();

  constructor(
    private readonly logger: Logger,
    /** Logged, with the error, when a listener throws. */
    private readonly failureMessage: string,
  ) {}

  get isEmpty(): boolean {
    return this.#listeners.size === 0;
  }

  /** Returns an unsubscribe. */
  add(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(value);
      } catch (error) {
        this.logger.error(this.failureMessage, { error: String(error) });
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
