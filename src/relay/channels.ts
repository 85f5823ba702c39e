/**
 * Channels: one webhook endpoint each (`POST /hooks/<name>`), typically one organisation, always
 * with a secret. The secret is kept as given because checking an HMAC needs it; the database
 * file is created readable by its owner only.
 */
import { z } from 'zod';
import type { RelayDatabase } from './database.js';

export const channelNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a channel name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit');

/** Short secrets can be guessed offline from one signed delivery. */
export const channelSecretSchema = z.string().min(16, 'a channel secret has at least 16 characters').max(1024);

export interface Channel {
  readonly name: string;
  readonly createdAt: number;
}

export class ChannelStore {
  private readonly selectSecret;

  constructor(private readonly db: RelayDatabase) {
    this.selectSecret = db.prepare('SELECT secret FROM channels WHERE name = ?').pluck();
  }

  /** Creates the channel, or replaces its secret when it exists (how a secret is rotated). */
  upsert(name: string, secret: string, now: number): 'created' | 'updated' {
    channelNameSchema.parse(name);
    channelSecretSchema.parse(secret);
    const existing = this.secretOf(name);
    this.db
      .prepare(`INSERT INTO channels (name, secret, created_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET secret = excluded.secret`)
      .run(name, secret, now);
    return existing === undefined ? 'created' : 'updated';
  }

  /** The channel's secret, or undefined when there is no such channel. */
  secretOf(name: string): string | undefined {
    return this.selectSecret.get(name) as string | undefined;
  }

  list(): Channel[] {
    return this.db
      .prepare('SELECT name, created_at AS createdAt FROM channels ORDER BY name')
      .all() as Channel[];
  }

  /** Removes the channel, its tokens and its events. */
  remove(name: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM events WHERE channel = ?').run(name);
      return this.db.prepare('DELETE FROM channels WHERE name = ?').run(name).changes === 1;
    }).immediate();
  }
}

/**
 * The relay's view of channel secrets: read once per channel and kept in memory, because every
 * delivery needs one and the admin command changes them rarely. `forget()` is called when another
 * process changed the channels (the storage's watch), so a new or rotated secret applies within
 * a second.
 */
export class ChannelSecrets {
  private readonly known = new Map<string, string>();

  constructor(private readonly lookUp: (name: string) => Promise<string | undefined>) {}

  /** The channel's secret, or undefined when there is no such channel. */
  async secretOf(name: string): Promise<string | undefined> {
    const cached = this.known.get(name);
    if (cached !== undefined) return cached;
    const secret = await this.lookUp(name);
    // Unknown names are not remembered: a sender inventing names must not grow this map.
    if (secret !== undefined) this.known.set(name, secret);
    return secret;
  }

  forget(): void {
    this.known.clear();
  }
}
