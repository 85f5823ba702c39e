/**
 * Client tokens: issued once, shown once, stored only as a SHA-256 hash (a token is 32 random
 * bytes, so a fast hash is enough; nothing to brute-force). Each is bound to one channel and
 * scoped to repository globs; an empty scope sees every repository of its channel.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { matchesAnyGlob } from '../core/glob.js';
import type { RelayDatabase } from './database.js';

const TOKEN_PREFIX = 'bb_';

export const repositoryGlobSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.*?-]+\/[A-Za-z0-9_.*?-]+$/, 'a repository pattern is owner/name, where either part may use * (e.g. acme/* or acme/web)');

export interface TokenInfo {
  readonly id: string;
  readonly channel: string;
  readonly label: string;
  /** Repository globs; empty means every repository of the channel. */
  readonly repos: readonly string[];
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface IssuedToken {
  readonly info: TokenInfo;
  /** The secret itself: shown to the operator once, never stored. */
  readonly token: string;
}

export interface TokenRow {
  id: string;
  channel: string;
  label: string;
  repos: string;
  createdAt: number;
  revokedAt: number | null;
}

const SELECT_COLUMNS = 'id, channel, label, repos, created_at AS createdAt, revoked_at AS revokedAt';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** True when a token with this scope may see events of `repository` (`owner/name`). */
export function scopeAllows(repos: readonly string[], repository: string): boolean {
  return repos.length === 0 || matchesAnyGlob(repos, repository);
}

/** A new token for `channel`: its info, the secret to show once, and the hash to store. Validates the scope. */
export function mintToken(channel: string, label: string, repos: readonly string[], now: number): IssuedToken & { readonly hash: string } {
  for (const glob of repos) repositoryGlobSchema.parse(glob);
  const id = `tok_${randomBytes(6).toString('hex')}`;
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { info: { id, channel, label, repos: [...repos], createdAt: now, revokedAt: null }, token, hash: hashToken(token) };
}

/** The hash to look a presented token up by, or undefined for a string that cannot be a token. */
export function lookupHash(token: string): string | undefined {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  return hashToken(token);
}

export function noChannelError(channel: string): Error {
  return new Error(`no channel named '${channel}': add it first with 'buildbell admin channel add ${channel} --secret <secret>'`);
}

export class TokenStore {
  private readonly selectByHash;
  private readonly selectLiveId;

  constructor(private readonly db: RelayDatabase) {
    this.selectByHash = db.prepare(`SELECT ${SELECT_COLUMNS} FROM tokens WHERE hash = ? AND revoked_at IS NULL`);
    this.selectLiveId = db.prepare('SELECT 1 FROM tokens WHERE id = ? AND revoked_at IS NULL');
  }

  issue(channel: string, label: string, repos: readonly string[], now: number): IssuedToken {
    const minted = mintToken(channel, label, repos, now);
    const known = this.db.prepare('SELECT 1 FROM channels WHERE name = ?').get(channel);
    if (!known) throw noChannelError(channel);
    this.db
      .prepare('INSERT INTO tokens (id, channel, label, repos, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(minted.info.id, channel, label, JSON.stringify(repos), minted.hash, now);
    return { info: minted.info, token: minted.token };
  }

  /** The live token this secret belongs to, or undefined (unknown or revoked). */
  authenticate(token: string): TokenInfo | undefined {
    const hash = lookupHash(token);
    if (hash === undefined) return undefined;
    const row = this.selectByHash.get(hash) as TokenRow | undefined;
    return row && tokenInfoFromRow(row);
  }

  list(): TokenInfo[] {
    return (this.db.prepare(`SELECT ${SELECT_COLUMNS} FROM tokens ORDER BY created_at, id`).all() as TokenRow[]).map(tokenInfoFromRow);
  }

  /** False once the token is revoked or gone (its channel removed): its sockets must close. */
  isLive(id: string): boolean {
    return this.selectLiveId.get(id) !== undefined;
  }

  revoke(id: string, now: number): boolean {
    return this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }
}

/** A stored row as TokenInfo (repos are kept as a JSON array). */
export function tokenInfoFromRow(row: TokenRow): TokenInfo {
  return { ...row, repos: JSON.parse(row.repos) as string[] };
}
