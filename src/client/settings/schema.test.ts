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
      source: { kind: 'demo' },
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
      tray: { recentBuilds: 10, recentEvents: 10 },
    });
  });

  it('fills the defaults inside a partly given section', () => {
    const settings = settingsSchema.parse({ notifications: { passed: true }, quietHours: { enabled: true } });
    expect(settings.notifications).toMatchObject({ passed: true, failed: true, started: false });
    expect(settings.quietHours).toEqual({ enabled: true, start: '22:00', end: '07:00' });
  });

  it.each([
    [{ kind: 'relay', url: 'https://relay.acme.dev', tokenRef: 'buildbell-relay' }],
    [{ kind: 'cirrus', repositories: ['acme/web'], token: 'secret' }],
    [{ kind: 'demo' }],
  ])('accepts the source %o', (source) => {
    expect(settingsSchema.parse({ source }).source).toMatchObject(source);
  });

  it.each([
    ['an unknown key', { mutedRepos: ['a/b'] }, /mutedRepos/],
    ['an unknown source kind', { source: { kind: 'jenkins' } }, /^source\.kind: /],
    ['a relay URL that is not http(s)', { source: { kind: 'relay', url: 'ftp://relay' } }, /^source\.url: expected the relay URL/],
    ['a Cirrus source without repositories', { source: { kind: 'cirrus', repositories: [] } }, /^source\.repositories: list at least one/],
    ['a repository that is not owner/name', { source: { kind: 'cirrus', repositories: ['web'] } }, /^source\.repositories\.0: expected a repository as owner\/name/],
    ['polling faster than once a minute', { source: { kind: 'cirrus', repositories: ['a/b'], pollIntervalSeconds: 5 } }, /^source\.pollIntervalSeconds: /],
    ['a toggle that is not a boolean', { notifications: { failed: 'yes' } }, /^notifications\.failed: /],
    ['only-mine without usernames', { onlyMine: { enabled: true } }, /^onlyMine\.usernames: list at least one username/],
    ['a quiet hour that is not HH:MM', { quietHours: { start: '10pm' } }, /^quietHours\.start: expected a time of day as HH:MM/],
    ['quiet hours that start when they end', { quietHours: { start: '09:00', end: '09:00' } }, /^quietHours\.end: start and end must differ/],
    ['a pause that is not a date', { pausedUntil: 'tomorrow' }, /^pausedUntil: /],
    ['a burst of one', { coalescing: { burstThreshold: 1 } }, /^coalescing\.burstThreshold: /],
  ])('refuses %s and names the field', (_name, input, message) => {
    expect(problem(input)).toMatch(message);
  });
});
