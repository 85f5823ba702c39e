import { describe, expect, it } from 'vitest';
import { candidate } from '../../../test/support/engineEvents.js';
import { mostRelevant, summariseNotifications, type NotificationCandidate } from './summary.js';

describe('summariseNotifications', () => {
  it('names the count, the transition and the repositories when all did the same', () => {
    const items = [candidate('1', 'failed'), candidate('2', 'failed', 'acme/api'), candidate('3', 'failed', 'acme/docs')];
    const summary = summariseNotifications(items, 'burst');
    expect(summary).toMatchObject({
      key: 'summary:burst',
      title: '3 builds failed in acme/web, acme/api…',
      urgency: 'critical',
      actions: [],
    });
  });

  it('counts each transition, most relevant first, when they differ', () => {
    const items = [candidate('1', 'fixed'), candidate('2', 'needs_approval', 'acme/api'), candidate('3', 'needs_approval'), candidate('4', 'failed')];
    const summary = summariseNotifications(items, 'catch-up');
    expect(summary.key).toBe('summary:catch-up');
    expect(summary.title).toBe('While you were away: 4 builds: 1 failed, 2 need approval, 1 fixed');
    expect(summary.body).toBe('in acme/web, acme/api\nLatest: acme/web · main failed');
    expect(summary.url).toBe('https://cirrus-ci.com/build/4');
  });

  it('is normal urgency when nothing failed', () => {
    expect(summariseNotifications([candidate('1', 'fixed'), candidate('2', 'passed')], 'burst').urgency).toBe('normal');
  });
});

describe('mostRelevant', () => {
  it.each<[string, NotificationCandidate[], string]>([
    ['a failure over a newer fix', [candidate('1', 'failed', 'a', 1), candidate('2', 'fixed', 'a', 2)], '1'],
    ['an approval over a fix', [candidate('1', 'fixed', 'a', 3), candidate('2', 'needs_approval', 'a', 1)], '2'],
    ['the newest among equals', [candidate('1', 'errored', 'a', 1), candidate('2', 'still_failing', 'a', 2)], '2'],
  ])('%s', (_name, items, expectedId) => {
    expect(mostRelevant(items)?.intent.key).toBe(`build:cirrus:${expectedId}`);
  });
});
