import { describe, expect, it } from 'vitest';
import { describeZodError } from '../../core/validation.js';
import { defaultSettings, settingsSchema } from './schema.js';

function problem(input: unknown): string {
  const result = settingsSchema.safeParse(input);
  if (result.success) throw new Error('expected the settings to be refused');
  return describeZodError(result.error);
}

describe('settingsSchema', () => {
  it('makes {} a full configuration with the documented defaults', () => {
    expect(defaultSettings()).toEqual({
      sources: [{ kind: 'demo', name: 'demo' }],
      notifications: {
        started: false,
        passed: false,
        failed: true,
        fixed: true,
        still_failing: true,
        needs_approval: true,
        aborted: false,
        errored: true,
      },
      mutedRepositories: [],
      branches: [],
      onlyMine: { enabled: false, usernames: [] },
      quietHours: { enabled: false, start: '22:00', end: '07:00' },
      pausedUntil: null,
      openAtLogin: false,
      coalescing: { burstThreshold: 5, burstWindowSeconds: 10 },
      tray: { enabled: false, recentBuilds: 10, recentEvents: 10 },
    });
  });

  it('fills the defaults inside a partly given section', () => {
    const settings = settingsSchema.parse({ notifications: { passed: true }, quietHours: { enabled: true } });
    expect(settings.notifications).toMatchObject({ passed: true, failed: true, started: false });
    expect(settings.quietHours).toEqual({ enabled: true, start: '22:00', end: '07:00' });
  });

  it.each([
    [true, { enabled: true, recentBuilds: 10, recentEvents: 10 }],
    [false, { enabled: false, recentBuilds: 10, recentEvents: 10 }],
    [{ enabled: true, recentBuilds: 3 }, { enabled: true, recentBuilds: 3, recentEvents: 10 }],
    [{ recentEvents: 5 }, { enabled: false, recentBuilds: 10, recentEvents: 5 }],
  ])('reads "tray": %o as %o (true and false are short for enabled)', (tray, expected) => {
    expect(settingsSchema.parse({ tray }).tray).toEqual(expected);
  });

  it.each([
    [{ kind: 'relay', name: 'work relay', url: 'https://relay.acme.dev', tokenRef: 'buildbell-relay' }],
    [{ kind: 'relay', name: 'env relay', url: 'https://relay.acme.dev', tokenEnv: 'RELAY_TOKEN', githubTokenEnv: 'GH_TOKEN' }],
    [{ kind: 'cirrus', name: 'Cirrus', repositories: ['acme/web'], token: 'secret' }],
    [{ kind: 'github', name: 'work GitHub', repositories: ['acme/web'], apiUrl: 'https://ghe.acme.dev/api/v3', tokenEnv: 'WORK_GITHUB_TOKEN' }],
    [{ kind: 'gitlab', name: 'GitLab', repositories: ['acme/platform/web'] }],
    [{ kind: 'demo', name: 'demo', provider: 'github' }],
  ])('accepts the source %o', (source) => {
    expect(settingsSchema.parse({ sources: [source] }).sources[0]).toMatchObject(source);
  });

  it('holds several sources at once, each by its name', () => {
    const settings = settingsSchema.parse({
      sources: [
        { kind: 'relay', name: 'work relay', url: 'https://relay.acme.dev', tokenEnv: 'RELAY_TOKEN' },
        { kind: 'github', name: 'personal GitHub', repositories: ['me/dotfiles'] },
        { kind: 'github', name: 'work GitHub', repositories: ['acme/web'], apiUrl: 'https://ghe.acme.dev/api/v3' },
      ],
    });
    expect(settings.sources.map((source) => source.name)).toEqual(['work relay', 'personal GitHub', 'work GitHub']);
  });

  it('reads an old file with one `source` as a list of one, named for what it is', () => {
    const settings = settingsSchema.parse({ source: { kind: 'relay', url: 'https://relay.acme.dev', tokenRef: 'relay' }, mutedRepositories: ['acme/old'] });
    expect(settings.sources).toEqual([{ kind: 'relay', name: 'relay relay.acme.dev', url: 'https://relay.acme.dev', tokenRef: 'relay' }]);
    expect(settings).not.toHaveProperty('source');
    expect(settings.mutedRepositories).toEqual(['acme/old']);
  });

  it('names a source without a name after its kind', () => {
    expect(settingsSchema.parse({ sources: [{ kind: 'cirrus', repositories: ['a/b'] }, { kind: 'demo' }] }).sources.map((source) => source.name)).toEqual(['Cirrus CI', 'demo']);
  });

  it.each([
    ['an unknown key', { mutedRepos: ['a/b'] }, /mutedRepos/],
    ['an unknown source kind', { sources: [{ kind: 'jenkins' }] }, /^sources\.0\.kind: /],
    ['a relay URL that is not http(s), by index and field', { sources: [{ kind: 'demo' }, { kind: 'relay', url: 'ftp://relay' }] }, /^sources\.1\.url: expected the relay URL/],
    ['a Cirrus source without repositories', { sources: [{ kind: 'cirrus', repositories: [] }] }, /^sources\.0\.repositories: list at least one/],
    ['a repository that is not owner/name', { sources: [{ kind: 'cirrus', repositories: ['web'] }] }, /^sources\.0\.repositories\.0: expected a repository as owner\/name/],
    ['a GitLab project without its group', { sources: [{ kind: 'gitlab', repositories: ['web'] }] }, /^sources\.0\.repositories\.0: expected a project as group\/project/],
    ['polling faster than every 15 s', { sources: [{ kind: 'cirrus', repositories: ['a/b'], pollIntervalSeconds: 5 }] }, /^sources\.0\.pollIntervalSeconds: /],
    ['a token variable that is not a variable name', { sources: [{ kind: 'github', repositories: ['a/b'], tokenEnv: 'my token' }] }, /^sources\.0\.tokenEnv: expected the name of an environment variable/],
    ['two sources with one name', { sources: [{ kind: 'demo', name: 'Work' }, { kind: 'github', name: 'work', repositories: ['a/b'] }] }, /^sources\.1\.name: "work" is already the name of source 0/],
    ['both the old source and the new list', { source: { kind: 'demo' }, sources: [] }, /source/],
    ['an empty name', { sources: [{ kind: 'demo', name: '  ' }] }, /^sources\.0\.name: give the source a name/],
    ['a toggle that is not a boolean', { notifications: { failed: 'yes' } }, /^notifications\.failed: /],
    ['only-mine without usernames', { onlyMine: { enabled: true } }, /^onlyMine\.usernames: list at least one username/],
    ['a quiet hour that is not HH:MM', { quietHours: { start: '10pm' } }, /^quietHours\.start: expected a time of day as HH:MM/],
    ['quiet hours that start when they end', { quietHours: { start: '09:00', end: '09:00' } }, /^quietHours\.end: start and end must differ/],
    ['a pause that is not a date', { pausedUntil: 'tomorrow' }, /^pausedUntil: /],
    ['a tray that is neither a boolean nor an object', { tray: 'yes' }, /^tray: expected true, false, or an object/],
    ['a tray listing no builds', { tray: { enabled: true, recentBuilds: 0 } }, /^tray\.recentBuilds: /],
    ['a burst of one', { coalescing: { burstThreshold: 1 } }, /^coalescing\.burstThreshold: /],
  ])('refuses %s and names the field', (_name, input, message) => {
    expect(problem(input)).toMatch(message);
  });
});
