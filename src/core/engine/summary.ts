/**
 * One notification standing for many: a burst of builds, or what happened while the app was
 * away. It names how many builds did what and where, and a click opens the most relevant one.
 */
import type { NotificationIntent } from '../ports.js';
import { displayLine } from '../text/displayText.js';
import { isCritical, transitionWords } from './notificationContent.js';
import type { Transition } from './transition.js';

/** A build notification the engine wants shown, with what a summary needs to know about it. */
export interface NotificationCandidate {
  readonly intent: NotificationIntent;
  readonly transition: Transition;
  /** `owner/name` of the build's repository. */
  readonly slug: string;
  /** Epoch ms of the event behind it. */
  readonly at: number;
}

export type SummaryKind = 'burst' | 'catch-up';

export function summaryKey(kind: SummaryKind): string {
  return `summary:${kind}`;
}

/** Failures first (they need the user), then approvals, then fixes, then the rest. */
function relevance(transition: Transition): number {
  if (isCritical(transition)) return 3;
  if (transition === 'needs_approval') return 2;
  if (transition === 'fixed') return 1;
  return 0;
}

/** The candidate a click on the summary should open: the most relevant, the newest among equals. */
export function mostRelevant(items: readonly NotificationCandidate[]): NotificationCandidate | undefined {
  let best: NotificationCandidate | undefined;
  for (const item of items) {
    if (!best) best = item;
    else {
      const difference = relevance(item.transition) - relevance(best.transition);
      if (difference > 0 || (difference === 0 && item.at >= best.at)) best = item;
    }
  }
  return best;
}

const MAX_REPOSITORIES_IN_TITLE = 2;
const MAX_REPOSITORIES_IN_BODY = 4;
const MAX_SLUG = 100;

/** The summary notification for these candidates (at least one). */
export function summariseNotifications(items: readonly NotificationCandidate[], kind: SummaryKind): NotificationIntent {
  const best = mostRelevant(items);
  if (!best) throw new RangeError('a summary needs at least one notification');
  const counts = countByTransition(items);
  // Slugs come from payloads; the candidates' intents are already clean.
  const repositories = [...new Set(items.map((item) => displayLine(item.slug, MAX_SLUG)))];
  const builds = items.length === 1 ? '1 build' : `${items.length} builds`;
  const prefix = kind === 'catch-up' ? 'While you were away: ' : '';
  const title =
    counts.length === 1
      ? `${prefix}${builds} ${pluralWords(counts[0]![0], items.length)} in ${listed(repositories, MAX_REPOSITORIES_IN_TITLE, '…')}`
      : `${prefix}${builds}: ${counts.map(([transition, count]) => `${count} ${pluralWords(transition, count)}`).join(', ')}`;
  const body = [
    counts.length === 1 ? undefined : `in ${listed(repositories, MAX_REPOSITORIES_IN_BODY)}`,
    `Latest: ${best.intent.title}`,
  ].filter((line): line is string => line !== undefined);
  return {
    key: summaryKey(kind),
    title,
    body: body.join('\n'),
    url: best.intent.url,
    urgency: items.some((item) => isCritical(item.transition)) ? 'critical' : 'normal',
    actions: [],
  };
}

/** Transitions with their counts, most relevant first. */
function countByTransition(items: readonly NotificationCandidate[]): Array<[Transition, number]> {
  const counts = new Map<Transition, number>();
  for (const item of items) counts.set(item.transition, (counts.get(item.transition) ?? 0) + 1);
  return [...counts].sort((a, b) => relevance(b[0]) - relevance(a[0]));
}

function pluralWords(transition: Transition, count: number): string {
  return transition === 'needs_approval' && count !== 1 ? 'need approval' : transitionWords(transition);
}

/** `a, b and 3 more` (or `a, b…` with an ellipsis, where space is short). */
function listed(names: readonly string[], max: number, ellipsis?: string): string {
  const shown = names.slice(0, max).join(', ');
  const more = names.length - max;
  if (more <= 0) return shown;
  return ellipsis === undefined ? `${shown} and ${more} more` : `${shown}${ellipsis}`;
}
