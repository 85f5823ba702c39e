/**
 * One sample delivery per event type a provider sends, in its real wire format: what
 * `buildbell send` POSTs, as the "send a test delivery" button of a CI would. Built in, so a user
 * needs nothing but the package to see a relay take a delivery. The GitHub samples come from the
 * GitHub simulator's own payload builders, so they are the shapes the simulator sends.
 */
import { repositoryObject, githubWirePayload } from './github/payloads.js';
import type { SimGithubJob, SimGithubRun } from './github/world.js';

/** The event types `send` has a sample of, per provider; the first is the default. */
export const SAMPLE_EVENT_TYPES = {
  cirrus: ['build', 'task', 'audit_event'],
  github: ['workflow_run', 'workflow_job', 'ping'],
} as const;

export type SampleProvider = keyof typeof SAMPLE_EVENT_TYPES;

/** A delivery ready to sign: its event type header and its exact body text. */
export interface SampleDelivery {
  readonly eventType: string;
  readonly body: string;
}

const SAMPLE_SHA = '3f2a9c1d0b8e7a6f5e4d3c2b1a0f9e8d7c6b5a49';

/**
 * The sample of `eventType`, or undefined when there is none. `now` (epoch ms) dates it: two
 * sends at different times are two deliveries, not a duplicate the relay would drop.
 */
export function sampleDelivery(provider: SampleProvider, eventType: string, now: number): SampleDelivery | undefined {
  if (provider === 'cirrus') {
    const body = cirrusSample(eventType, now);
    return body === undefined ? undefined : { eventType, body: JSON.stringify(body) };
  }
  if (eventType === 'ping') {
    const repository = repositoryObject(sampleGithubRun(now).repository);
    return { eventType, body: JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1, repository }) };
  }
  const run = sampleGithubRun(now);
  if (eventType === 'workflow_run') return githubWirePayload({ kind: 'workflow_run', action: 'completed', run }, SAMPLE_GITHUB_API);
  if (eventType === 'workflow_job') return githubWirePayload({ kind: 'workflow_job', action: 'completed', run, job: run.jobs[0]! }, SAMPLE_GITHUB_API);
  return undefined;
}

/** Cirrus's flat wire format: a failed build, a failed task of it, and an audit event. */
function cirrusSample(eventType: string, now: number): Record<string, unknown> | undefined {
  const repository = { id: 4711000000000001, owner: 'acme', name: 'widgets', isPrivate: false };
  const build = {
    id: 4711000000000101,
    branch: 'main',
    changeIdInRepo: SAMPLE_SHA,
    changeTimestamp: now,
    changeMessageTitle: 'A test delivery from buildbell send',
    user: { id: 4711000000009001, username: 'ada' },
  };
  switch (eventType) {
    case 'build':
      return { old_status: 'EXECUTING', action: 'updated', repository, build: { ...build, status: 'FAILED', durationInSeconds: 312 }, task: {} };
    case 'task':
      return {
        old_status: 'EXECUTING',
        action: 'updated',
        repository,
        build: { ...build, status: 'EXECUTING' },
        task: {
          id: 4711000000001001,
          name: 'test (arm64)',
          nameAlias: 'test-arm',
          status: 'FAILED',
          statusTimestamp: now,
          creationTimestamp: now - 285_000,
          durationInSeconds: 285,
          uniqueLabels: [],
          automaticReRun: false,
          automaticallyReRunnable: false,
          instanceType: 'CommunityContainer',
          localGroupId: 1,
          notifications: [],
        },
      };
    case 'audit_event':
      return {
        id: `buildbell-send-${now}`,
        type: 'graphql.mutation',
        timestamp: now,
        data: JSON.stringify({ mutationName: 'BuildApprove', platform: 'github', buildId: String(build.id) }),
        actor: build.user,
        action: 'created',
        repository: {},
        build: {},
        task: {},
      };
    default:
      return undefined;
  }
}

const SAMPLE_GITHUB_API = 'https://api.github.com';

/** A run that failed in its `test` job. */
function sampleGithubRun(now: number): SimGithubRun {
  const job: SimGithubJob = {
    id: 47110001001,
    name: 'test',
    status: 'completed',
    conclusion: 'failure',
    runAttempt: 1,
    createdAt: now - 290_000,
    startedAt: now - 285_000,
    completedAt: now,
  };
  return {
    id: 4711000101,
    repository: { id: 47110001, owner: 'acme', name: 'widgets', private: false, defaultBranch: 'main' },
    workflowName: 'CI',
    runNumber: 42,
    event: 'push',
    branch: 'main',
    sha: SAMPLE_SHA,
    title: 'A test delivery from buildbell send',
    actor: 'ada',
    pullRequest: null,
    status: 'completed',
    conclusion: 'failure',
    runAttempt: 1,
    triggeringActor: 'ada',
    createdAt: now - 300_000,
    updatedAt: now,
    jobs: [job],
  };
}
