/**
 * The real Cirrus deliveries (`fixtures/cirrus/` of the conformance folder, captured from Cirrus):
 * they decode and normalise to exactly what a user should see, the relay stores them, and the
 * simulator sends the same flat wire format.
 */
import { describe, expect, it } from 'vitest';
import { normalisedEventSchema } from '../../src/core/event.js';
import { parseJsonLosslessly } from '../../src/core/json.js';
import { decodeCirrusDelivery } from '../../src/providers/cirrus/webhooks.js';
import { startSimulator } from '../../src/sim/simulator.js';
import type { SimEvent } from '../../src/sim/simulator.js';
import { postDelivery } from '../support/relay.js';
import { useRelay } from '../support/relayPerFile.js';
import { upstreamFixture, upstreamJson } from './upstream.js';

const context = { id: 'delivery-1', receivedAt: 1_722_408_870_000 };
const fixture = (name: string) => upstreamJson(`cirrus/${name}.json`);

function decodeEvent(eventType: string, body: unknown) {
  const decoded = decodeCirrusDelivery(eventType, body, context);
  if (decoded.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(decoded)}`);
  return normalisedEventSchema.parse(decoded.event);
}

describe('decodeCirrusDelivery on real deliveries', () => {
  it('normalises the real build delivery', () => {
    expect(decodeEvent('build', fixture('build'))).toEqual({
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

  it('unwraps the real build in the docs shape, {action, old_status, data: {...}}', () => {
    const { action, old_status, ...data } = fixture('build');
    const event = decodeEvent('build', { action, old_status, data });
    expect(event.build).toMatchObject({ id: '5082236150611968', previousStatus: 'COMPLETED' });
  });

  it('keeps the real build id digit for digit once it passes 2^53', () => {
    const text = upstreamFixture('cirrus/build.json').toString('utf8').replace('5082236150611968', '90071992547409931');
    expect(decodeEvent('build', parseJsonLosslessly(text)).build.id).toBe('90071992547409931');
  });
});

describe('the relay and the real deliveries', () => {
  const served = useRelay();

  it('stores the real build, task and audit deliveries and answers 200 with the seq', async () => {
    for (const eventType of ['build', 'task', 'audit_event'] as const) {
      const answer = await postDelivery(served.relay.url, 'acme', upstreamFixture(`cirrus/${eventType}.json`), { eventType });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: eventType === 'audit_event' ? 'recorded' : 'stored', seq: expect.any(Number) });
    }
  });
});

describe('the simulator', () => {
  it('sends the real flat wire format, like the captured deliveries', async () => {
    const sim = await startSimulator({ autoAdvance: false, graphql: false, clock: () => 1_722_400_000_000 });
    const events: SimEvent[] = [];
    sim.onEvent((event) => events.push(event));
    try {
      sim.advance(15_000);
      const real = (name: string) => fixture(name) as Record<string, Record<string, unknown>>;
      const buildEvent = JSON.parse(events.find((e) => e.eventType === 'build' && e.body.includes('old_status'))!.body);
      const taskEvent = JSON.parse(events.find((e) => e.eventType === 'task')!.body);
      expect(buildEvent.task).toEqual({});
      for (const key of Object.keys(real('build')['repository']!)) expect(buildEvent.repository).toHaveProperty(key);
      for (const key of ['id', 'branch', 'changeIdInRepo', 'changeTimestamp', 'changeMessageTitle', 'status', 'user']) {
        expect(real('build')['build']).toHaveProperty(key);
        expect(buildEvent.build).toHaveProperty(key);
      }
      for (const key of Object.keys(real('task')['task']!)) expect(taskEvent.task).toHaveProperty(key);
      expect(typeof buildEvent.build.id).toBe('number');
      expect(Object.keys(buildEvent).slice(0, 2)).toEqual(['old_status', 'action']);
    } finally {
      await sim.stop();
    }
  });
});
