import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/ports.js';
import { createTokenStore, type Encryptor, type TokenStore } from '../settings/tokenStore.js';
import { SourceSetupError, sourceChoiceFromSettings } from './sourceFromSettings.js';

// A stand-in for the keychain: reversible, and never the plain text on disk.
const encryptor: Encryptor = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(Buffer.from(text).map((byte) => byte ^ 0x5a)),
  decryptString: (sealed) => Buffer.from(sealed.map((byte) => byte ^ 0x5a)).toString(),
};

const RELAY = { kind: 'relay', url: 'https://relay.acme.dev', tokenRef: 'relay', cirrusTokenRef: 'cirrus', githubTokenRef: 'github' } as const;

let folder: string;
let tokens: TokenStore;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'buildbell-source-'));
  tokens = createTokenStore(path.join(folder, 'tokens.json'), encryptor);
  await tokens.set('relay', 'relay-token');
});
afterEach(() => rm(folder, { recursive: true, force: true }));

/** A Cirrus GraphQL endpoint on port 0 that records each request's Authorization header. */
async function cirrusEndpoint(): Promise<{ url: string; authorizations: Array<string | undefined>; server: Server }> {
  const authorizations: Array<string | undefined> = [];
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    request.resume().on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { build: null } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, authorizations, server };
}

describe('the relay source from the settings', () => {
  it('refuses an http: relay on another machine unless the settings say insecure', async () => {
    const context = { tokens, folder, logger: silentLogger };
    await expect(sourceChoiceFromSettings({ kind: 'relay', url: 'http://relay.acme.dev:8787', tokenRef: 'relay' }, context)).rejects.toThrow(/cleartext/);
    const insecure = await sourceChoiceFromSettings({ kind: 'relay', url: 'http://relay.acme.dev:8787', tokenRef: 'relay', insecure: true }, context);
    expect(insecure).toMatchObject({ kind: 'relay', url: 'ws://relay.acme.dev:8787/stream', insecure: true });
  });

  it('offers no actions when no action token is stored', async () => {
    const choice = await sourceChoiceFromSettings(RELAY, { tokens, folder, logger: silentLogger });
    expect(choice).toMatchObject({ kind: 'relay', url: 'wss://relay.acme.dev/stream', token: 'relay-token' });
    expect(choice).not.toHaveProperty('cirrus');
    expect(choice).not.toHaveProperty('github');
  });

  it('attaches a Cirrus client that sends the stored Cirrus token', async () => {
    await tokens.set('cirrus', 'cirrus-write-token');
    const endpoint = await cirrusEndpoint();
    try {
      const choice = await sourceChoiceFromSettings(RELAY, { tokens, folder, logger: silentLogger, cirrusEndpoint: endpoint.url });
      if (choice.kind !== 'relay' || !choice.cirrus) throw new Error('expected a relay choice with a Cirrus client');
      expect(choice).not.toHaveProperty('github');
      expect(await choice.cirrus.getBuild('42')).toBeNull();
      expect(endpoint.authorizations).toEqual(['Bearer cirrus-write-token']);
    } finally {
      await new Promise((resolve) => endpoint.server.close(resolve));
    }
  });

  it('attaches an authenticated GitHub client when a GitHub token is stored', async () => {
    await tokens.set('github', 'github-actions-token');
    const choice = await sourceChoiceFromSettings(RELAY, { tokens, folder, logger: silentLogger });
    if (choice.kind !== 'relay' || !choice.github) throw new Error('expected a relay choice with a GitHub client');
    expect(choice.github.authenticated).toBe(true);
    expect(choice).not.toHaveProperty('cirrus');
  });

  it('attaches both when both are stored, and ignores them when the settings name no reference', async () => {
    await tokens.set('cirrus', 'c');
    await tokens.set('github', 'g');
    const both = await sourceChoiceFromSettings(RELAY, { tokens, folder, logger: silentLogger });
    expect(both).toHaveProperty('cirrus');
    expect(both).toHaveProperty('github');
    const withoutRefs = await sourceChoiceFromSettings({ kind: 'relay', url: RELAY.url, tokenRef: 'relay' }, { tokens, folder, logger: silentLogger });
    expect(withoutRefs).not.toHaveProperty('cirrus');
    expect(withoutRefs).not.toHaveProperty('github');
  });

  it('still refuses a relay without its own token, whatever action tokens there are', async () => {
    await tokens.delete('relay');
    await tokens.set('cirrus', 'c');
    await expect(sourceChoiceFromSettings(RELAY, { tokens, folder, logger: silentLogger })).rejects.toBeInstanceOf(SourceSetupError);
  });
});
