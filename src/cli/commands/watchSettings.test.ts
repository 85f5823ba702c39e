import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../client/settings/schema.js';
import { parseWatchArgs } from './watch.js';
import { FLAG_TOKEN_REFS, watchSettings } from './watchSettings.js';

const file = settingsSchema.parse({
  sources: [{ kind: 'github', name: 'work GitHub', repositories: ['acme/web'], tokenEnv: 'WORK_GITHUB_TOKEN' }, { kind: 'relay', name: 'team relay', url: 'https://relay.acme.dev' }],
  mutedRepositories: ['acme/old'],
});
const flags = (...args: string[]) => parseWatchArgs(args);

describe('watch flags as settings', () => {
  it('combine into one list of sources: a relay, GitHub and GitLab polling in one command', () => {
    const chosen = watchSettings(
      flags('--relay', 'ws://127.0.0.1:8787', '--token', 'r', '--github-repos', 'acme/web,acme/api', '--github-api', 'https://ghe.acme.dev/api/v3', '--github-token', 'g', '--gitlab-repos', 'acme/platform/web', '--interval', '30s'),
      file,
      { env: {} },
    );
    expect(chosen.sourcesFromFlags).toBe(true);
    expect(chosen.settings.sources).toEqual([
      { kind: 'relay', name: 'relay 127.0.0.1:8787', url: 'http://127.0.0.1:8787', tokenRef: FLAG_TOKEN_REFS.relay, githubTokenRef: FLAG_TOKEN_REFS.github, githubApiUrl: 'https://ghe.acme.dev/api/v3' },
      { kind: 'github', name: 'GitHub', repositories: ['acme/web', 'acme/api'], tokenRef: FLAG_TOKEN_REFS.github, apiUrl: 'https://ghe.acme.dev/api/v3', pollIntervalSeconds: 30 },
      { kind: 'gitlab', name: 'GitLab', repositories: ['acme/platform/web'], pollIntervalSeconds: 30 },
    ]);
    expect([...chosen.tokens]).toEqual([[FLAG_TOKEN_REFS.relay, 'r'], [FLAG_TOKEN_REFS.github, 'g']]);
    // The rest of the file still applies.
    expect(chosen.settings.mutedRepositories).toEqual(['acme/old']);
  });

  it('takes several instances of one relay as --relay a,b, tried in order', () => {
    const chosen = watchSettings(flags('--relay', 'wss://relay-a.acme.dev, wss://relay-b.acme.dev', '--token', 'r'), file, { env: {} });
    expect(chosen.settings.sources).toMatchObject([{ kind: 'relay', url: 'https://relay-a.acme.dev', fallbackUrls: ['https://relay-b.acme.dev'] }]);
  });

  it('keeps --repos with --provider, or the CI whose token is given', () => {
    expect(watchSettings(flags('--repos', 'a/b', '--provider', 'github'), file, { env: {} }).settings.sources).toMatchObject([{ kind: 'github', repositories: ['a/b'] }]);
    expect(watchSettings(flags('--repos', 'a/b', '--github-token', 't'), file, { env: {} }).settings.sources).toMatchObject([{ kind: 'github' }]);
    expect(watchSettings(flags('--repos', 'a/b'), file, { env: {} }).settings.sources).toMatchObject([{ kind: 'cirrus', repositories: ['a/b'] }]);
  });

  it('without source flags uses the file\'s sources, with the flags\' tokens where a source names no variable of its own', () => {
    const chosen = watchSettings(flags('--token', 'r', '--github-token', 'g'), file, { env: {} });
    expect(chosen.sourcesFromFlags).toBe(false);
    expect(chosen.settings.sources).toEqual([
      { kind: 'github', name: 'work GitHub', repositories: ['acme/web'], tokenEnv: 'WORK_GITHUB_TOKEN', pollIntervalSeconds: 60 },
      { kind: 'relay', name: 'team relay', url: 'https://relay.acme.dev', tokenRef: FLAG_TOKEN_REFS.relay, githubTokenRef: FLAG_TOKEN_REFS.github },
    ]);
  });

  it('takes tokens from $BUILDBELL_*_TOKEN when no flag gives them', () => {
    const chosen = watchSettings(flags('--relay', 'ws://127.0.0.1:1'), file, { env: { BUILDBELL_TOKEN: 'from-env' } });
    expect(chosen.tokens.get(FLAG_TOKEN_REFS.relay)).toBe('from-env');
  });

  it.each([
    [['--relay', 'ws://127.0.0.1:1'], /--relay needs --token/],
    [['--relay', 'ws://10.0.0.5:1', '--token', 't'], /cleartext/],
    [['--repos', 'a/b', '--provider', 'jenkins'], /--provider takes cirrus, github or gitlab/],
    [['--github-repos', 'web'], /invalid source from the flags|sources\.0\.repositories\.0: expected a repository as owner\/name/],
    [['--github-repos', 'a/b', '--interval', '5s'], /--interval takes 15s or more/],
    [['--repos', 'a/b', '--cirrus-repos', 'c/d'], /--repos and --cirrus-repos both name cirrus repositories/],
  ])('refuses %j with a message naming the flag', (args, message) => {
    expect(() => watchSettings(flags(...args), file, { env: {} })).toThrow(message);
  });
});
