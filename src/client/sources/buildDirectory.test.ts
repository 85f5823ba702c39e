import { describe, expect, it } from 'vitest';
import type { NormalisedEvent, Provider } from '../../core/event.js';
import { buildEvent } from '../../../test/support/engine-events.js';
import { BuildDirectory } from './buildDirectory.js';

function event(provider: Provider, buildId: string, slug = 'acme/web'): NormalisedEvent {
  const [owner, repo] = slug.split('/') as [string, string];
  return { ...buildEvent({ state: 'running', buildId, owner, repo }), provider };
}

describe('BuildDirectory', () => {
  it('returns the event it notes unchanged, so it sits in a pipeline', () => {
    const directory = new BuildDirectory();
    const noted = event('github', '9');
    expect(directory.note(noted)).toBe(noted);
  });

  it.each<[string, NormalisedEvent[], string, unknown]>([
    ['a GitHub run', [event('github', '9', 'acme/api')], '9', { provider: 'github', owner: 'acme', name: 'api' }],
    ['a Cirrus build', [event('cirrus', '123')], '123', { provider: 'cirrus', owner: 'acme', name: 'web' }],
    ['builds of both providers side by side', [event('cirrus', '1'), event('github', '2', 'octo/cat')], '2', { provider: 'github', owner: 'octo', name: 'cat' }],
    ['a build never seen', [event('github', '9')], '10', undefined],
    ['the latest event of a build says where it is now (a renamed repository)', [event('github', '9', 'acme/old'), event('github', '9', 'acme/new')], '9', { provider: 'github', owner: 'acme', name: 'new' }],
    ['a task event locates its build', [{ ...buildEvent({ state: 'running', buildId: '4', task: { id: 't1', name: 'test', state: 'failed' } }), provider: 'github' as const }], '4', { provider: 'github', owner: 'acme', name: 'web' }],
  ])('finds %s', (_name, events, buildId, expected) => {
    const directory = new BuildDirectory();
    for (const noted of events) directory.note(noted);
    expect(directory.find(buildId)).toEqual(expected);
  });

  it('forgets the least recently seen build beyond its bound, and a new event makes a build recent again', () => {
    const directory = new BuildDirectory(3);
    for (const id of ['1', '2', '3']) directory.note(event('github', id));
    directory.note(event('github', '1')); // 1 is now the most recent; 2 is the oldest
    directory.note(event('github', '4'));
    expect(['1', '2', '3', '4'].map((id) => directory.find(id) !== undefined)).toEqual([true, false, true, true]);
    directory.note(event('github', '5'));
    expect(['1', '2', '3', '4', '5'].map((id) => directory.find(id) !== undefined)).toEqual([true, false, false, true, true]);
  });

  it('remembers 1 000 builds by default', () => {
    const directory = new BuildDirectory();
    for (let id = 1; id <= 1001; id += 1) directory.note(event('github', String(id)));
    expect(directory.find('1')).toBeUndefined();
    expect(directory.find('2')).toBeDefined();
    expect(directory.find('1001')).toBeDefined();
  });
});
