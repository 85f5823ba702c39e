import { describe, expect, it } from 'vitest';
import { normalisedEventSchema } from '../../core/event.js';
import { parseJsonLosslessly } from '../../core/json.js';
import { fixtureJson, fixtureText } from '../../../test/support/fixtures.js';
import { decodeCirrusDelivery } from './webhooks.js';

const context = { id: 'delivery-1', receivedAt: 1_722_408_870_000 };
// The project's own deliveries (test/fixtures/cirrus/); the real captured ones are checked by
// `npm run test:conformance` (test/conformance/cirrusPayloads.test.ts).
const fixture = (name: string) => fixtureJson(`cirrus/${name}.json`);

function decodeEvent(eventType: string, body: unknown) {
  const decoded = decodeCirrusDelivery(eventType, body, context);
  if (decoded.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(decoded)}`);
  return normalisedEventSchema.parse(decoded.event);
}

describe('decodeCirrusDelivery on the flat wire format', () => {
  it('normalises a build delivery', () => {
    const event = decodeEvent('build', fixture('build'));
    expect(event).toEqual({
      id: 'delivery-1',
      provider: 'cirrus',
      kind: 'build',
      action: 'updated',
      receivedAt: context.receivedAt,
      repository: { id: '4711000000000001', owner: 'acme', name: 'widgets', private: false },
      build: {
        id: '4711000000000101',
        status: 'FAILED',
        previousStatus: 'EXECUTING',
        state: 'failed',
        branch: 'main',
        sha: '3f2a9c1d0b8e7a6f5e4d3c2b1a0f9e8d7c6b5a49',
        title: 'Cache the parsed manifest (#42)',
        pullRequest: null,
        initiator: 'ada',
        url: 'https://cirrus-ci.com/build/4711000000000101',
        changedAt: 1764547200000,
      },
      task: null,
    });
  });

  it('normalises a task delivery with the task link', () => {
    const event = decodeEvent('task', fixture('task'));
    expect(event.kind).toBe('task');
    expect(event.action).toBe('updated');
    expect(event.task).toEqual({
      id: '4711000000001001',
      name: 'test (arm64)',
      status: 'FAILED',
      previousStatus: 'EXECUTING',
      state: 'failed',
      url: 'https://cirrus-ci.com/task/4711000000001001',
    });
    // old_status of a task event is the task's; the build's own previous status is unknown.
    expect(event.build).toMatchObject({ status: 'EXECUTING', previousStatus: null, state: 'running' });
  });

  it('accepts an audit event as a record that is not streamed', () => {
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
    expect(event.build.id).toBe('4711000000000101');
    expect(event.build.previousStatus).toBe('EXECUTING');
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
    expect(decodeEvent('task', withExtras).task?.name).toBe('test (arm64)');
  });
});

describe('ids', () => {
  it('come out digit for digit past 2^53', () => {
    const event = decodeEvent('build', parseJsonLosslessly(fixtureText('cirrus/build.big-ids.json')));
    expect(event.build.id).toBe('90071992547409933');
    expect(event.repository).toMatchObject({ id: '90071992547409931', private: true });
    // JSON.parse would have turned the id into 90071992547409940: the fixture proves it is past 2^53.
    expect(String((JSON.parse(fixtureText('cirrus/build.big-ids.json')) as { build: { id: number } }).build.id)).not.toBe('90071992547409933');
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
