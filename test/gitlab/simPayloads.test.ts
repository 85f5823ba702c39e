/**
 * The GitLab simulator's hooks have the shape of the project's own GitLab fixtures (written after
 * real deliveries): every field those have, with the same JSON types, and GitLab's hook time
 * format. `npm run test:conformance` holds them to the real payloads the same way.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJsonLosslessly } from '../../src/core/json.js';
import { startGitlabSimulator, type GitlabSimEvent } from '../../src/sim/gitlab/simulator.js';
import { shapeDifferences } from '../support/payloadShape.js';

const fixture = (name: string): unknown => parseJsonLosslessly(readFileSync(new URL(`../fixtures/gitlab/${name}`, import.meta.url), 'utf8'));

async function simulatedHooks(): Promise<GitlabSimEvent[]> {
  const sim = await startGitlabSimulator({ scenario: false, autoAdvance: false, api: false });
  const hooks: GitlabSimEvent[] = [];
  sim.onEvent((hook) => hooks.push(hook));
  sim.startPipeline({ project: 'acme/platform/api', fail: true, mergeRequest: true });
  sim.advance(60_000);
  await sim.stop();
  return hooks;
}

describe('the GitLab simulator\'s hooks', () => {
  it('have every field of the fixtures, with the same types', async () => {
    const hooks = await simulatedHooks();
    const last = (type: string, match: (body: Record<string, unknown>) => boolean) => JSON.parse(hooks.filter((h) => h.eventType === type).map((h) => h.body).reverse().find((b) => match(JSON.parse(b)))!);
    const pipeline = last('Pipeline Hook', (body) => (body['object_attributes'] as { status: string }).status === 'failed');
    const job = last('Job Hook', (body) => body['build_status'] === 'failed');
    expect(shapeDifferences(fixture('pipeline/failed.merge-request.json'), pipeline)).toEqual([]);
    expect(shapeDifferences(fixture('job/failed.json'), job)).toEqual([]);
    expect(shapeDifferences(fixture('job/created.without-pipeline-id.json'), last('Job Hook', (body) => body['build_status'] === 'created'))).toEqual([]);
    expect(pipeline.object_attributes.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(job.build_failure_reason).toMatch(/^(script_failure|runner_system_failure)$/);
  });

  it('the comparison notices a missing field and a changed type', () => {
    expect(shapeDifferences({ a: 1, b: { c: 'x' }, d: [{ e: 1 }] }, { a: '1', b: {}, d: [{ e: 2 }] })).toEqual(['a: string, real number', 'b.c: missing']);
  });
});
