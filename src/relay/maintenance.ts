/**
 * Background work of a running relay: pruning events past retention, and noticing what
 * `buildbell admin` changed in the shared database (another process) so a revoked token's
 * sockets close without a restart. SQLite's `data_version` changes exactly when another
 * connection commits, so the check costs one pragma per tick.
 */
import type { Clock, Logger } from '../core/ports.js';
import type { RelayDatabase } from './database.js';
import type { EventLog } from './eventLog.js';

const PRUNE_BATCH = 5000;

export interface MaintenanceOptions {
  readonly retentionMs: number;
  readonly pruneIntervalMs: number;
  readonly adminPollMs: number;
}

export interface MaintenanceDependencies {
  readonly db: RelayDatabase;
  readonly log: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called when another process changed the database (tokens revoked, channels removed). */
  readonly onExternalChange: () => void;
  /** Runs on every admin tick; throws when the database file is gone (the guard reports it itself). */
  readonly checkDatabaseFile: () => void;
}

export interface Maintenance {
  /** Prunes everything past retention now, in batches that yield between them. */
  pruneNow(): Promise<number>;
  stop(): void;
}

export function startMaintenance(options: MaintenanceOptions, deps: MaintenanceDependencies): Maintenance {
  let stopped = false;
  let pruning: Promise<number> | undefined;
  let lastDataVersion = dataVersion(deps.db);

  const pruneNow = (): Promise<number> => {
    pruning ??= (async () => {
      let total = 0;
      try {
        const cutoff = deps.clock() - options.retentionMs;
        for (;;) {
          if (stopped) break;
          const removed = deps.log.pruneReceivedBefore(cutoff, PRUNE_BATCH);
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
  const adminTimer = setInterval(() => {
    try {
      deps.checkDatabaseFile();
    } catch {
      return;
    }
    try {
      const version = dataVersion(deps.db);
      if (version === lastDataVersion) return;
      lastDataVersion = version;
      deps.onExternalChange();
    } catch (error) {
      deps.logger.error('could not check the database for admin changes', { error: String(error) });
    }
  }, options.adminPollMs);
  adminTimer.unref();

  return {
    pruneNow,
    stop() {
      stopped = true;
      clearInterval(pruneTimer);
      clearInterval(adminTimer);
    },
  };
}

function dataVersion(db: RelayDatabase): number {
  return db.pragma('data_version', { simple: true }) as number;
}
