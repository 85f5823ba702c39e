/**
 * Background work of a running relay: pruning events past retention, in small batches that yield
 * between them so ingest never waits long behind a delete. (Changes made by `buildbell admin` and
 * other instances arrive through the storage's watch, see storage/storage.ts.)
 */
import type { Clock, Logger } from '../core/ports.js';
import type { RelayStorage } from './storage/storage.js';

const PRUNE_BATCH = 5000;

export interface MaintenanceOptions {
  readonly retentionMs: number;
  readonly pruneIntervalMs: number;
}

export interface MaintenanceDependencies {
  readonly storage: Pick<RelayStorage, 'pruneReceivedBefore'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface Maintenance {
  /** Prunes everything past retention now, in batches that yield between them. */
  pruneNow(): Promise<number>;
  stop(): void;
}

export function startMaintenance(options: MaintenanceOptions, deps: MaintenanceDependencies): Maintenance {
  let stopped = false;
  let pruning: Promise<number> | undefined;

  const pruneNow = (): Promise<number> => {
    pruning ??= (async () => {
      let total = 0;
      try {
        const cutoff = deps.clock() - options.retentionMs;
        for (;;) {
          if (stopped) break;
          const removed = await deps.storage.pruneReceivedBefore(cutoff, PRUNE_BATCH);
          total += removed;
          if (removed < PRUNE_BATCH) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (total > 0) deps.logger.info('pruned events past retention', { removed: total });
      } catch (error) {
        deps.logger.error('pruning failed; will try again', { error: String(error) });
      } finally {
        pruning = undefined;
      }
      return total;
    })();
    return pruning;
  };

  const pruneTimer = setInterval(() => void pruneNow(), options.pruneIntervalMs);
  pruneTimer.unref();

  return {
    pruneNow,
    stop() {
      stopped = true;
      clearInterval(pruneTimer);
    },
  };
}
