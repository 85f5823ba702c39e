import { describe, expect, it } from 'vitest';
import { normalisedEventSchema } from '../../core/event.js';
import { parseJsonLosslessly } from '../../core/json.js';
import { sharedFixture } from '../../../test/support/shared.js';
import { decodeCirrusDelivery } from './webhooks.js';

const context = { id: 'delivery-1', receivedAt: 1_722_408_870_000 };
const fixture = (name: string) => parseJsonLosslessly(sharedFixture(`cirrus/${name}.json`).toString('utf8')) as Record<string, unknown>;

function decodeEvent(eventType: string, body: unknown) {
  const decoded = decodeCirrusDelivery(eventType, body, context);
  if (decoded.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(decoded)}`);
  return normalisedEventSchema.parse(decoded.event);
}

describe('decodeCirrusDelivery on real deliveries', () => {
  it('normalises the real build delivery', () => {
    const event = decodeEvent('build', fixture('build'));
    expect(event).toEqual({
      id: 'delivery-1',
      provider: 'cirrus',
      kind: 'build',
      action: 'updated',
      receivedAt: context.receivedAt,
      repository: { id: '5129885287448576', owner: 'edigaryev', name: 'awesome-system-calls', private: false },
      build: {
        id: '5082236150611968',
        status: 'EXECUTING',
        previousStatus: 'COMPLETED',
        state: 'running',
        branch: 'main',
        sha: '1a7a425b71fd28274b739c9d410ca966aedbcd63',
        title: 'Periodic update (#7)',
        pullRequest: null,
        initiator: 'edigaryev',
        url: 'https://cirrus-ci.com/build/5082236150611968',
        changedAt: 1722406690000,
      },
      task: null,
    });
  });

  it('normalises the real task delivery with the task link', () => {
    const event = decodeEvent('task', fixture('task'));
    expect(event.kind).toBe('task');
    expect(event.action).toBe('created');
    expect(event.task).toEqual({
      id: '6017965227769856',
      name: 'Lint (cargo fmt)',
      status: 'EXECUTING',
      previousStatus: null,
      state: 'running',
      url: 'https://cirrus-ci.com/task/6017965227769856',
    });
    expect(event.build.previousStatus).toBeNull();
  });

  it('accepts the real audit event as a record that is not streamed', () => {
    expect(decodeCirrusDelivery('audit_event', fixture('audit_event'), context)).toEqual({ kind: 'record' });
    expect(decodeCirrusDelivery('audit_event', { ...fixture('audit_event'), action: 'create' }, context)).toEqual({ kind: 'record' });
  });

  it('ignores event types it does not handle', () => {
    expect(decodeCirrusDelivery('check_suite', fixture('build'), context)).toEqual({ kind: 'ignored' });
  });
});

describe('the other payload shapes', () => {
  it('unwraps the docs shape, {action, old_status, data: {...}}', () => {
    const { action, old_status, ...data } = fixture('build');
    const event = decodeEvent('build', { action, old_status, data });
    expect(event.build.id).toBe('5082236150611968');
    expect(event.build.previousStatus).toBe('COMPLETED');
  });

  it('reads the first design: build.name and task.finalStatusTimestamp', () => {
    const event = decodeEvent('task', {
      action: 'updated',
      old_status: 'EXECUTING',
      data: {
        repository: { id: 1, owner: 'acme', name: 'web' },
        build: { id: 2, name: 'Fix the flaky test', branch: 'main', changeIdInRepo: 'abc', status: 'FAILED', changeTimestamp: 1 },
        task: { id: 3, name: 'test', status: 'FAILED', creationTimestamp: 1, finalStatusTimestamp: 2 },
      },
    });
    expect(event.build.title).toBe('Fix the flaky test');
    expect(event.build.state).toBe('failed');
    expect(event.task).toMatchObject({ id: '3', state: 'failed', previousStatus: 'EXECUTING' });
    // Visibility unknown: assume private.
    expect(event.repository.private).toBe(true);
  });

  it('keeps unknown fields instead of failing on them', () => {
    const body = fixture('task');
    const withExtras = { ...body, newTopLevel: { x: 1 }, task: { ...(body['task'] as object), somethingNew: [1, 2] } };
    expect(decodeEvent('task', withExtras).task?.name).toBe('Lint (cargo fmt)');
  });
});

describe('ids', () => {
  it('come out digit for digit past 2^53', () => {
    const text = sharedFixture('cirrus/build.json').toString('utf8').replace('5082236150611968', '90071992547409931');
    expect(decodeEvent('build', parseJsonLosslessly(text)).build.id).toBe('90071992547409931');
  });

  it('refuse a number that has already lost its digits', () => {
    const body = { ...fixture('build'), build: { ...(fixture('build')['build'] as object), id: 2 ** 60 } };
    const decoded = decodeCirrusDelivery('build', body, context);
    expect(decoded).toMatchObject({ kind: 'invalid' });
    expect(decoded.kind === 'invalid' && decoded.message).toContain('build.id');
  });
});

describe('invalid payloads name the field', () => {
  it.each([
    ['an unknown build status', 'build', (b: Record<string, unknown>) => ({ ...b, build: { ...(b['build'] as object), status: 'DONE' } }), 'build.status'],
    ['a missing repository owner', 'build', (b: Record<string, unknown>) => ({ ...b, repository: { id: 1, name: 'x' } }), 'repository.owner'],
    ['a task event without a task', 'task', (b: Record<string, unknown>) => ({ ...b, task: {} }), 'task.'],
    ['a bad action', 'build', (b: Record<string, unknown>) => ({ ...b, action: 'deleted' }), 'action'],
    ['an array instead of an object', 'build', () => [], '(root)'],
  ])('%s', (_label, eventType, mutate, field) => {
    const decoded = decodeCirrusDelivery(eventType, mutate(fixture(eventType)), context);
    expect(decoded.kind).toBe('invalid');
    expect(decoded.kind === 'invalid' && decoded.message).toContain(field);
  });
});
