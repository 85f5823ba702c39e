/**
 * How committed events reach the hub. With SQLite one process writes the log, so each event is
 * published as its commit is answered. With PostgreSQL other instances commit too, and the
 * order of arrival (a local answer, another instance's notification) is not the order of seqs: so
 * every instance publishes only what it reads back from the log, in seq order, after the highest
 * seq it has published. A connection skips any seq at or below its cursor, which would lose an
 * event published out of order; reading in order is what makes that rule safe across instances.
 */
import type { Logger } from '../../core/ports.js';
import type { StreamedEvent } from '../ingest.js';
import type { RelayStorage } from '../storage/storage.js';

export interface FanOut {
  /** This instance committed `event` and answered its sender. */
  committedHere(event: StreamedEvent): void;
  /** Some instance committed rows up to `head`. */
  committedAnywhere(head: number): void;
}

/** SQLite: the only writer's own commits, published as they are answered. */
export function directFanOut(publish: (event: StreamedEvent) => void): FanOut {
  return { committedHere: publish, committedAnywhere: () => undefined };
}

const READ_BATCH = 1000;

/** PostgreSQL: everything read back from the log in seq order, whoever committed it. */
export async function orderedFanOut(storage: Pick<RelayStorage, 'head' | 'readCommittedAfter'>, publish: (event: StreamedEvent) => void, logger: Logger): Promise<FanOut> {
  // Clients that connect later replay what came before from the log.
  let published = await storage.head();
  let wanted = published;
  let reading = false;

  const readOn = async (): Promise<void> => {
    if (reading) return; // the running loop sees the new `wanted` at its next check
    reading = true;
    try {
      while (published < wanted) {
        // What was known committed before this read began: the read sees all of it. A head
        // learnt while the read is in flight may lie beyond what the read saw, so it is not
        // taken as read (that skipped events for good: the soak's kill -9 run lost 12).
        const target = wanted;
        const rows = await storage.readCommittedAfter(published, READ_BATCH);
        for (const row of rows) publish(row);
        const last = rows.at(-1)?.seq ?? published;
        // Fewer rows than asked: everything up to `target` has been read (the rest were records
        // that are never streamed), since a seq is visible only once every lower one is.
        published = rows.length < READ_BATCH ? Math.max(last, target) : last;
      }
    } catch (error) {
      logger.warn('could not read new events for fan-out; retrying in a second', { error: String(error) });
      setTimeout(() => void readOn(), 1000).unref();
    } finally {
      reading = false;
    }
  };

  const want = (head: number) => {
    wanted = Math.max(wanted, head);
    void readOn();
  };

  return {
    committedHere: (event) => want(event.seq),
    committedAnywhere: want,
  };
}
