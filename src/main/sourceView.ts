/**
 * The sources as the window lists them: each entry of the settings with whether each of its tokens
 * is stored (never the token) and its live connection from the tray model, so the list shows
 * "connected · last event 2 min ago" beside the source it belongs to.
 */
import type { SourceStatus, SourceView, TokenPurpose, TokenView } from '../core/ipc/contract.js';
import type { SourceConnection } from '../core/engine/sourceConnection.js';
import { ago } from '../core/engine/trayText.js';
import { displayLine } from '../core/text/displayText.js';
import type { Settings, SourceSettings } from '../client/settings/schema.js';
import type { TokenStore } from '../client/settings/tokenStore.js';
import { tokenEnvsOf, tokenRefsOf } from './sourceForm.js';

export async function sourceViews(settings: Settings, tokens: Pick<TokenStore, 'has'>, connections: readonly SourceConnection[], now: number): Promise<SourceView[]> {
  return Promise.all(
    settings.sources.map(async (entry) => {
      const status = sourceStatus(connections.find((connection) => connection.source === entry.name), now);
      const token = (purpose: TokenPurpose) => tokenView(entry, purpose, tokens);
      switch (entry.kind) {
        case 'demo':
          return { name: entry.name, status, kind: 'demo' as const, provider: entry.provider ?? 'cirrus' };
        case 'relay':
          return {
            name: entry.name,
            status,
            kind: 'relay' as const,
            url: entry.url,
            tokens: { token: await token('token'), cirrusToken: await token('cirrusToken'), githubToken: await token('githubToken'), gitlabToken: await token('gitlabToken') },
          };
        default:
          return {
            name: entry.name,
            status,
            kind: entry.kind,
            repositories: entry.repositories,
            apiUrl: (entry.kind === 'cirrus' ? entry.endpoint : entry.apiUrl) ?? null,
            tokens: { token: await token('token') },
          };
      }
    }),
  );
}

async function tokenView(entry: SourceSettings, purpose: TokenPurpose, tokens: Pick<TokenStore, 'has'>): Promise<TokenView> {
  const ref = tokenRefsOf(entry)[purpose];
  // An older file's plain-text Cirrus token is a token the source has, though not in the store.
  const plain = entry.kind === 'cirrus' && purpose === 'token' && entry.token !== undefined;
  return { stored: plain || (ref !== undefined && (await tokens.has(ref))), env: tokenEnvsOf(entry)[purpose] ?? null };
}

/** The connection without the source's name (the list shows the name beside it). */
export function sourceStatus(connection: SourceConnection | undefined, now: number): SourceStatus {
  if (connection === undefined) return { state: 'stopped', line: 'not running' };
  if (!connection.connected) return { state: 'down', line: displayLine(connection.reason ?? 'not connected', 1000) };
  return { state: 'connected', line: `connected · ${connection.lastEventAt === null ? 'no events yet' : `last event ${ago(now - connection.lastEventAt)}`}` };
}
