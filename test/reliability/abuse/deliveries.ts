/**
 * Signed deliveries as Cirrus and GitHub send them, each about its own build id, so a client's
 * events can be matched to the delivery that carried them.
 */
import { randomUUID } from 'node:crypto';
import { signCirrusPayload } from '../../../src/providers/cirrus/signature.js';
import { signGithubPayload } from '../../../src/providers/github/signature.js';
import { githubWirePayload } from '../../../src/sim/github/payloads.js';
import type { SimGithubRun } from '../../../src/sim/github/world.js';
import { buildDelivery, TEST_SECRET } from '../../support/relay.js';

export interface SignedDelivery {
  readonly provider: 'cirrus' | 'github';
  /** The normalised build id the stored event will carry. */
  readonly buildId: string;
  readonly body: Buffer;
  /** Headers as the CI sends them; GitHub's delivery id is not signed, so a replay may change it. */
  headers(): Record<string, string>;
}

export function cirrusDelivery(buildId: number): SignedDelivery {
  const body = Buffer.from(buildDelivery('acme', `repo${buildId % 5}`, buildId));
  const signature = signCirrusPayload(body, TEST_SECRET);
  return {
    provider: 'cirrus', buildId: String(buildId), body,
    headers: () => ({ 'content-type': 'application/json', 'x-cirrus-event': 'build', 'x-cirrus-signature': signature }),
  };
}

function githubRun(runId: number): SimGithubRun {
  const at = Date.UTC(2026, 10, 1);
  return {
    id: runId, repository: { id: 77, owner: 'acme', name: 'api', private: false, defaultBranch: 'main' },
    workflowName: 'CI', runNumber: runId % 1000, event: 'push', branch: 'main', sha: 'a'.repeat(40), title: `run ${runId}`,
    actor: 'dev', pullRequest: null, status: 'completed', conclusion: 'failure', runAttempt: 1, triggeringActor: 'dev',
    createdAt: at, updatedAt: at, jobs: [],
  };
}

/** A `workflow_run` delivery; every call of `headers()` carries a new X-GitHub-Delivery, as a replayer would send. */
export function githubDelivery(runId: number): SignedDelivery {
  const payload = githubWirePayload({ kind: 'workflow_run', action: 'completed', run: githubRun(runId) }, 'https://api.github.com');
  const body = Buffer.from(payload.body);
  const signature = signGithubPayload(body, TEST_SECRET);
  return {
    provider: 'github', buildId: String(runId), body,
    headers: () => ({ 'content-type': 'application/json', 'x-github-event': payload.eventType, 'x-hub-signature-256': signature, 'x-github-delivery': randomUUID() }),
  };
}
