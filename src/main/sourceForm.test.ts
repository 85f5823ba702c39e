import { describe, expect, it } from 'vitest';
import type { SourceForm } from '../core/ipc/contract.js';
import { settingsSchema, type SourceSettings } from '../client/settings/schema.js';
import { planSource, tokenRefFor } from './sourceForm.js';

/** A relay as a file from before the list of sources has it: the fixed references. */
const oldRelay: SourceSettings = { kind: 'relay', name: 'relay relay.acme.dev', url: 'https://relay.acme.dev', tokenRef: 'relay', cirrusTokenRef: 'cirrus', githubTokenRef: 'github' };

const relayForm = (extra: Partial<Extract<SourceForm, { kind: 'relay' }>> = {}): SourceForm => ({ kind: 'relay', name: 'relay relay.acme.dev', url: 'https://relay.acme.dev', ...extra });

describe('one source from its editor', () => {
  it('stores the typed tokens of a new source under its own references, and the entry names only those', () => {
    const plan = planSource({ kind: 'relay', name: 'work relay', url: 'https://relay.acme.dev', token: 'r', githubToken: 'g' }, undefined, []);
    expect(plan.writes).toEqual([
      { ref: 'source:work relay:token', token: 'r' },
      { ref: 'source:work relay:githubToken', token: 'g' },
    ]);
    expect(plan.entry).toEqual({ kind: 'relay', name: 'work relay', url: 'https://relay.acme.dev', tokenRef: 'source:work relay:token', githubTokenRef: 'source:work relay:githubToken' });
    expect(JSON.stringify(plan.entry)).not.toMatch(/"[rg]"/);
    expect(plan.dropped).toEqual([]);
    expect(settingsSchema.parse({ sources: [plan.entry] }).sources[0]).toEqual(plan.entry);
  });

  it('keeps an older file’s fixed references working while no token is typed', () => {
    const plan = planSource(relayForm(), oldRelay, []);
    expect(plan.entry).toEqual(oldRelay);
    expect(plan).toMatchObject({ writes: [], moves: [], dropped: [] });
  });

  it('replaces a token under the source’s own reference and lets go of the fixed one', () => {
    const plan = planSource(relayForm({ cirrusToken: 'new' }), oldRelay, []);
    expect(plan.writes).toEqual([{ ref: tokenRefFor('relay relay.acme.dev', 'cirrusToken'), token: 'new' }]);
    expect(plan.entry).toMatchObject({ tokenRef: 'relay', cirrusTokenRef: 'source:relay relay.acme.dev:cirrusToken', githubTokenRef: 'github' });
    expect(plan.dropped).toEqual(['cirrus']);
  });

  it('stores a relay’s GitLab token for Approve and Re-run under its own reference, and removes it', () => {
    const plan = planSource(relayForm({ gitlabToken: 'glpat' }), oldRelay, []);
    expect(plan.writes).toEqual([{ ref: 'source:relay relay.acme.dev:gitlabToken', token: 'glpat' }]);
    expect(plan.entry).toMatchObject({ gitlabTokenRef: 'source:relay relay.acme.dev:gitlabToken', cirrusTokenRef: 'cirrus' });
    const removed = planSource(relayForm({ removeTokens: ['gitlabToken'] }), plan.entry, []);
    expect(removed.entry).not.toHaveProperty('gitlabTokenRef');
    expect(removed.dropped).toEqual(['source:relay relay.acme.dev:gitlabToken']);
  });

  it('removes a stored token: the entry stops naming it', () => {
    const plan = planSource(relayForm({ removeTokens: ['githubToken'] }), oldRelay, []);
    expect(plan.entry).not.toHaveProperty('githubTokenRef');
    expect(plan.dropped).toEqual(['github']);
    const github = planSource({ kind: 'github', name: 'GitHub', repositories: ['acme/web'], removeTokens: ['token'] }, { kind: 'github', name: 'GitHub', repositories: ['acme/web'], tokenRef: 'source:GitHub:token', pollIntervalSeconds: 60 }, []);
    expect(github.entry).not.toHaveProperty('tokenRef');
    expect(github.dropped).toEqual(['source:GitHub:token']);
  });

  it('moves a renamed source’s own tokens to the new name, so a new source with the old name cannot inherit them', () => {
    const before: SourceSettings = { kind: 'github', name: 'work', repositories: ['acme/web'], tokenRef: 'source:work:token', pollIntervalSeconds: 30 };
    const plan = planSource({ kind: 'github', name: 'work (old)', repositories: ['acme/web'] }, before, []);
    expect(plan.moves).toEqual([{ from: 'source:work:token', to: 'source:work (old):token' }]);
    expect(plan.entry).toEqual({ kind: 'github', name: 'work (old)', repositories: ['acme/web'], tokenRef: 'source:work (old):token', pollIntervalSeconds: 30 });
    expect(plan.dropped).toEqual(['source:work:token']);
    // A fixed reference is no source's name: it stays.
    expect(planSource(relayForm({ name: 'team relay' }), oldRelay, []).moves).toEqual([]);
  });

  it('never takes a reference another source names', () => {
    const other: SourceSettings = { kind: 'cirrus', name: 'mine', repositories: ['me/x'], tokenRef: 'source:work:token', pollIntervalSeconds: 60 };
    const plan = planSource({ kind: 'cirrus', name: 'work', repositories: ['acme/web'], token: 't' }, undefined, [other]);
    expect(plan.writes).toEqual([{ ref: 'source:work:token#2', token: 't' }]);
  });

  it('keeps what only the file sets, and drops the relay’s insecure opt-in for a new URL', () => {
    const lan: SourceSettings = { kind: 'relay', name: 'LAN', url: 'http://10.0.0.5:8787', fallbackUrls: ['http://10.0.0.7:8787'], insecure: true, tokenEnv: 'LAN_TOKEN', githubApiUrl: 'https://ghe.acme.dev/api/v3' };
    expect(planSource({ kind: 'relay', name: 'LAN', url: 'http://10.0.0.5:8787' }, lan, []).entry).toEqual(lan);
    const moved = planSource({ kind: 'relay', name: 'LAN', url: 'http://10.0.0.6:8787' }, lan, []).entry;
    expect(moved).not.toHaveProperty('insecure');
    expect(moved).toMatchObject({ fallbackUrls: ['http://10.0.0.7:8787'], tokenEnv: 'LAN_TOKEN', githubApiUrl: 'https://ghe.acme.dev/api/v3' });
    const demo = planSource({ kind: 'demo', name: 'demo', provider: 'github' }, { kind: 'demo', name: 'demo', seed: 7, speed: 5 }, []).entry;
    expect(demo).toEqual({ kind: 'demo', name: 'demo', provider: 'github', seed: 7, speed: 5 });
  });

  it('edits a GitLab source: projects in subgroups, a self-managed API, its token', () => {
    const plan = planSource({ kind: 'gitlab', name: 'GitLab', repositories: ['acme/platform/api'], apiUrl: 'https://gitlab.acme.dev/api/v4', token: 'glpat' }, undefined, []);
    expect(plan.entry).toEqual({ kind: 'gitlab', name: 'GitLab', repositories: ['acme/platform/api'], apiUrl: 'https://gitlab.acme.dev/api/v4', tokenRef: 'source:GitLab:token', pollIntervalSeconds: 60 });
    expect(settingsSchema.parse({ sources: [plan.entry] }).sources[0]).toEqual(plan.entry);
  });

  it('a new kind is a new source: none of the old tokens carries over', () => {
    const plan = planSource({ kind: 'gitlab', name: 'work', repositories: ['acme/web'] }, { kind: 'github', name: 'work', repositories: ['acme/web'], tokenRef: 'source:work:token', pollIntervalSeconds: 60 }, []);
    expect(plan.entry).not.toHaveProperty('tokenRef');
    expect(plan.dropped).toEqual(['source:work:token']);
  });

  it('drops an older file’s plain-text Cirrus token once a token is typed or removed', () => {
    const plain: SourceSettings = { kind: 'cirrus', name: 'Cirrus CI', repositories: ['acme/web'], token: 'plain', pollIntervalSeconds: 60 };
    expect(planSource({ kind: 'cirrus', name: 'Cirrus CI', repositories: ['acme/web'] }, plain, []).entry).toMatchObject({ token: 'plain' });
    expect(planSource({ kind: 'cirrus', name: 'Cirrus CI', repositories: ['acme/web'], token: 'new' }, plain, []).entry).not.toHaveProperty('token');
    expect(planSource({ kind: 'cirrus', name: 'Cirrus CI', repositories: ['acme/web'], removeTokens: ['token'] }, plain, []).entry).not.toHaveProperty('token');
  });
});
