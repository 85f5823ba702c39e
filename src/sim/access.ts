/**
 * Who may see and change what in the simulated API, after Cirrus's token model (FACTS.md,
 * "Tokens"): public repositories need no token; a private one needs a token that covers it;
 * every mutation needs WRITE. Scoped tokens name their repositories; an owner-wide one names none.
 */
import { z } from 'zod';
import type { SimRepository } from './world.js';

export const simTokenSchema = z.object({
  token: z.string().min(1),
  permission: z.enum(['READ', 'WRITE']),
  /** `owner/name` slugs the token is scoped to. Default: every repository (an owner token). */
  repositories: z.array(z.string()).optional(),
});
export type SimToken = z.infer<typeof simTokenSchema>;

/** The tokens a simulator accepts unless told otherwise; printed by `buildbell simulate`. */
export const DEFAULT_SIM_TOKENS: readonly SimToken[] = [
  { token: 'sim-read-token', permission: 'READ' },
  { token: 'sim-write-token', permission: 'WRITE' },
];

/** The caller of one GraphQL request: a known token, or nobody. */
export interface Viewer {
  readonly token: SimToken | null;
}

function covers(token: SimToken, repository: SimRepository): boolean {
  const slug = `${repository.owner}/${repository.name}`.toLowerCase();
  return token.repositories === undefined || token.repositories.some((r) => r.toLowerCase() === slug);
}

export function canSee(viewer: Viewer, repository: SimRepository): boolean {
  return !repository.isPrivate || (viewer.token !== null && covers(viewer.token, repository));
}

export function canWrite(viewer: Viewer, repository: SimRepository): boolean {
  return viewer.token !== null && viewer.token.permission === 'WRITE' && covers(viewer.token, repository);
}

/** `viewerPermission` as the API reports it. */
export function permissionOf(viewer: Viewer, repository: SimRepository): 'NONE' | 'READ' | 'WRITE' {
  if (canWrite(viewer, repository)) return 'WRITE';
  return canSee(viewer, repository) ? 'READ' : 'NONE';
}

/** Reads `Authorization: Bearer <token>`: a viewer, `anonymous` without a header, or `invalid`. */
export function viewerFromHeader(header: string | undefined, tokens: readonly SimToken[]): Viewer | 'invalid' {
  if (header === undefined || header.trim() === '') return { token: null };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const token = match ? tokens.find((t) => t.token === match[1]) : undefined;
  return token ? { token } : 'invalid';
}
