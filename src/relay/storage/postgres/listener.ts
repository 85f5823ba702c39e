/**
 * One instance's ear on the database: a dedicated connection that LISTENs for commits of other
 * instances (`buildbell_events`, payload: the new head) and admin changes (`buildbell_admin`).
 * Notifications are not durable, so a poll every `pollMs` compares the head and the admin counter
 * as well: a missed notification only delays, and after the listening connection drops it is
 * opened again with backoff.
 */
import pg from 'pg';
import type { Logger } from '../../../core/ports.js';
import type { StorageEvents } from '../storage.js';

export const EVENTS_CHANNEL = 'buildbell_events';
export const ADMIN_CHANNEL = 'buildbell_admin';

export interface ListenerOptions {
  readonly connectionString: string;
  readonly pool: pg.Pool;
  readonly pollMs: number;
  readonly logger: Logger;
}

export function listenForChanges(options: ListenerOptions, events: StorageEvents): () => void {
  let stopped = false;
  let client: pg.Client | undefined;
  let retryMs = 250;
  let lastHead = -1;
  let lastAdminVersion = -1;

  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: options.connectionString });
    next.on('error', () => undefined); // 'end' below reconnects
    next.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL) {
        const head = Number(message.payload);
        if (Number.isSafeInteger(head) && head > lastHead) {
          lastHead = head;
          events.onRemoteCommit(head);
        }
      } else if (message.channel === ADMIN_CHANNEL) {
        events.onAdminChange();
      }
    });
    next.on('end', () => {
      if (client === next) client = undefined;
      if (!stopped) setTimeout(() => void connect(), retryMs).unref();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${EVENTS_CHANNEL}`);
      await next.query(`LISTEN ${ADMIN_CHANNEL}`);
      if (stopped) return void next.end().catch(() => undefined);
      client = next;
      retryMs = 250;
      // What was committed while no one listened is read now.
      void poll();
    } catch (error) {
      options.logger.warn('cannot listen to the database for changes; retrying', { error: String(error), retryMs });
      retryMs = Math.min(retryMs * 2, 10_000);
      await next.end().catch(() => undefined);
    }
  };

  const poll = async () => {
    try {
      const { rows } = await options.pool.query<{ head: string; admin_version: string }>('SELECT head, admin_version FROM log_state');
      const head = Number(rows[0]!.head);
      const adminVersion = Number(rows[0]!.admin_version);
      if (lastAdminVersion !== -1 && adminVersion !== lastAdminVersion) events.onAdminChange();
      lastAdminVersion = adminVersion;
      if (head > lastHead) {
        lastHead = head;
        events.onRemoteCommit(head);
      }
    } catch {
      // The database is away; appends answer 503 meanwhile, and the next poll tries again.
    }
  };

  void connect();
  const timer = setInterval(() => void poll(), options.pollMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    void client?.end().catch(() => undefined);
  };
}
