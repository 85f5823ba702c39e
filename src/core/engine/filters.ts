/**
 * The user's filters, applied before anything is shown. Two kinds, on purpose:
 * - visibility (muted repositories, branch patterns, "only my builds"): a build that fails these
 *   is none of the user's business, so it appears nowhere: no banner, no tray entry, no effect
 *   on the overall state. It is still tracked, so unmuting shows the truth at once.
 * - banner rules (quiet hours, pause): the build is the user's business, just not right now, so
 *   it is kept in the tray's recent builds and events, and only the banner is held back.
 */
import { matchesAnyGlob } from '../glob.js';

export interface VisibilityRules {
  /** Repository globs over `owner/name` whose builds are hidden. */
  readonly mutedRepositories: readonly string[];
  /** Branch globs to include; empty means every branch. */
  readonly branchPatterns: readonly string[];
  /** When enabled, only builds whose initiator is one of `usernames` (case-insensitive). */
  readonly onlyMine: { readonly enabled: boolean; readonly usernames: readonly string[] };
}

export interface QuietHours {
  readonly enabled: boolean;
  /** Local wall-clock time `HH:MM`; the interval may wrap midnight (22:00 to 07:00). */
  readonly start: string;
  readonly end: string;
}

export interface BannerRules {
  readonly quietHours: QuietHours;
  /** Epoch ms until which banners are paused; null when not paused. */
  readonly pausedUntil: number | null;
}

export type Visibility = 'visible' | 'muted' | 'other_branch' | 'not_mine';
export type BannerDecision = 'allowed' | 'paused' | 'quiet_hours';

export interface BuildIdentity {
  readonly slug: string;
  readonly branch: string | null;
  readonly initiator: string | null;
}

/** Whether a build concerns the user at all (see the module comment). */
export function buildVisibility(build: BuildIdentity, rules: VisibilityRules): Visibility {
  if (matchesAnyGlob(rules.mutedRepositories, build.slug)) return 'muted';
  if (rules.branchPatterns.length > 0 && !matchesAnyGlob(rules.branchPatterns, build.branch ?? '')) {
    return 'other_branch';
  }
  if (rules.onlyMine.enabled && !isMine(build.initiator, rules.onlyMine.usernames)) return 'not_mine';
  return 'visible';
}

/** A build with no known initiator (created through the API) is nobody's, so not "mine". */
function isMine(initiator: string | null, usernames: readonly string[]): boolean {
  if (initiator === null) return false;
  const lower = initiator.toLowerCase();
  return usernames.some((username) => username.toLowerCase() === lower);
}

/** The first matching muted pattern, for the tray's "muted by" hint; undefined when not muted. */
export function mutingPattern(slug: string, mutedRepositories: readonly string[]): string | undefined {
  return mutedRepositories.find((pattern) => matchesAnyGlob([pattern], slug));
}

/**
 * Whether a banner may be shown now. Pause is checked first because it is the user's explicit,
 * recent choice; quiet hours are a standing rule.
 *
 * @param minutesOfDay minutes since local midnight at `now` (see `localMinutesOfDay`)
 */
export function bannerDecision(rules: BannerRules, now: number, minutesOfDay: number): BannerDecision {
  if (isPaused(rules.pausedUntil, now)) return 'paused';
  if (isWithinQuietHours(rules.quietHours, minutesOfDay)) return 'quiet_hours';
  return 'allowed';
}

export function isPaused(pausedUntil: number | null, now: number): boolean {
  return pausedUntil !== null && now < pausedUntil;
}

/** Start is inside, end is outside, so 22:00–07:00 is quiet at 22:00 and loud at 07:00. */
export function isWithinQuietHours(quietHours: QuietHours, minutesOfDay: number): boolean {
  if (!quietHours.enabled) return false;
  const start = parseClockTime(quietHours.start);
  const end = parseClockTime(quietHours.end);
  if (start === end) return false;
  return start < end ? minutesOfDay >= start && minutesOfDay < end : minutesOfDay >= start || minutesOfDay < end;
}

export const CLOCK_TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `HH:MM` (24-hour) to minutes since midnight; throws on anything else. */
export function parseClockTime(text: string): number {
  const match = CLOCK_TIME_PATTERN.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a time of day as HH:MM (24-hour), e.g. 22:00`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes since local midnight in the process's time zone: the default for quiet hours. */
export function localMinutesOfDay(epochMs: number): number {
  const date = new Date(epochMs);
  return date.getHours() * 60 + date.getMinutes();
}
