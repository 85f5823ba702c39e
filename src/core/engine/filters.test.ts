import { describe, expect, it } from 'vitest';
import {
  bannerDecision,
  buildVisibility,
  isWithinQuietHours,
  mutingPattern,
  parseClockTime,
  type BannerDecision,
  type BannerRules,
  type BuildIdentity,
  type Visibility,
  type VisibilityRules,
} from './filters.js';

const everything: VisibilityRules = { mutedRepositories: [], branchPatterns: [], onlyMine: { enabled: false, usernames: [] } };
const build: BuildIdentity = { slug: 'acme/web', branch: 'main', initiator: 'Alice' };

describe('buildVisibility', () => {
  it.each<[string, Partial<VisibilityRules>, Partial<BuildIdentity>, Visibility]>([
    ['no filters', {}, {}, 'visible'],
    ['a muted repository', { mutedRepositories: ['acme/web'] }, {}, 'muted'],
    ['a muted owner glob', { mutedRepositories: ['acme/*'] }, {}, 'muted'],
    ['a mute of another repository', { mutedRepositories: ['acme/api'] }, {}, 'visible'],
    ['a branch in the include list', { branchPatterns: ['main', 'release/*'] }, {}, 'visible'],
    ['a branch matching a glob', { branchPatterns: ['release/*'] }, { branch: 'release/2.1' }, 'visible'],
    ['a branch outside the include list', { branchPatterns: ['main'] }, { branch: 'feature/x' }, 'other_branch'],
    ['a build without a branch and an include list', { branchPatterns: ['main'] }, { branch: null }, 'other_branch'],
    ['only mine, started by me (any case)', { onlyMine: { enabled: true, usernames: ['alice'] } }, {}, 'visible'],
    ['only mine, started by someone else', { onlyMine: { enabled: true, usernames: ['bob'] } }, {}, 'not_mine'],
    ['only mine, no initiator (API build)', { onlyMine: { enabled: true, usernames: ['alice'] } }, { initiator: null }, 'not_mine'],
    ['only mine switched off', { onlyMine: { enabled: false, usernames: ['bob'] } }, {}, 'visible'],
    ['muted wins over the other filters', { mutedRepositories: ['acme/web'], branchPatterns: ['dev'] }, {}, 'muted'],
  ])('%s', (_name, rules, identity, expected) => {
    expect(buildVisibility({ ...build, ...identity }, { ...everything, ...rules })).toBe(expected);
  });

  it('names the pattern that mutes a repository', () => {
    expect(mutingPattern('acme/web', ['x/y', 'acme/*'])).toBe('acme/*');
    expect(mutingPattern('acme/web', ['x/y'])).toBeUndefined();
  });
});

describe('quiet hours and pause', () => {
  const at = (time: string) => parseClockTime(time);
  const overnight = { enabled: true, start: '22:00', end: '07:00' };
  const daytime = { enabled: true, start: '12:00', end: '13:30' };

  it.each([
    [overnight, '21:59', false],
    [overnight, '22:00', true],
    [overnight, '23:59', true],
    [overnight, '00:00', true],
    [overnight, '06:59', true],
    [overnight, '07:00', false],
    [daytime, '11:59', false],
    [daytime, '12:00', true],
    [daytime, '13:29', true],
    [daytime, '13:30', false],
    [{ ...overnight, enabled: false }, '23:00', false],
    [{ enabled: true, start: '09:00', end: '09:00' }, '09:00', false],
  ])('%o at %s is quiet: %s', (quietHours, time, expected) => {
    expect(isWithinQuietHours(quietHours, at(time))).toBe(expected);
  });

  const rules: BannerRules = { quietHours: overnight, pausedUntil: null };
  it.each<[string, Partial<BannerRules>, number, string, BannerDecision]>([
    ['daytime, not paused', {}, 1_000, '12:00', 'allowed'],
    ['during quiet hours', {}, 1_000, '23:00', 'quiet_hours'],
    ['paused until later', { pausedUntil: 2_000 }, 1_000, '12:00', 'paused'],
    ['a pause that has ended', { pausedUntil: 1_000 }, 1_000, '12:00', 'allowed'],
    ['paused during quiet hours says paused', { pausedUntil: 2_000 }, 1_000, '23:00', 'paused'],
  ])('%s', (_name, overrides, now, time, expected) => {
    expect(bannerDecision({ ...rules, ...overrides }, now, at(time))).toBe(expected);
  });

  it('refuses a time that is not HH:MM', () => {
    expect(() => parseClockTime('7:00')).toThrow(/HH:MM/);
    expect(() => parseClockTime('24:00')).toThrow(/HH:MM/);
  });
});
