/**
 * The Cirrus GraphQL client: one small function per document in `queries.ts`. Sending, timeouts,
 * parsing and turning failures into typed errors are the transport's (`transport.ts`); this file
 * is what each operation asks and what it makes of the answer. The transport's `fetch` comes in
 * through the options, so tests and the simulator need no network mocking.
 */
import { randomUUID } from 'node:crypto';
import { CirrusNotFoundError, CirrusNothingToDoError, CirrusPermissionError } from './errors.js';
import {
  APPROVE_MUTATION,
  BATCH_RERUN_MUTATION,
  BUILD_FAILED_COMMANDS_QUERY,
  BUILD_QUERY,
  DEFAULT_BUILDS_PER_REPOSITORY,
  failedCommandsQuery,
  failedTaskAlias,
  pollAlias,
  pollQuery,
  pollVariables,
  RETRIGGER_MUTATION,
} from './queries.js';
import type { ApiBuild, ApiBuildWithRepository, ApiFailedTask, ApiRepository } from './responses.js';
import {
  approveDataSchema,
  batchReRunDataSchema,
  buildDataSchema,
  buildFailedCommandsDataSchema,
  failedCommandsDataSchema,
  pollDataSchema,
  retriggerDataSchema,
} from './responses.js';
import type { CirrusCall, CirrusTransportOptions } from './transport.js';
import { createCirrusTransport } from './transport.js';

// Callers import the transport's type from the client, the module they use.
export type { FetchLike } from './transport.js';

export interface CirrusApiOptions extends CirrusTransportOptions {
  /** Makes the `clientMutationId` every mutation requires. Default: `buildbell-<uuid>`. */
  readonly mutationId?: () => string;
}

/** A watched repository and what one poll saw of it (`repository` null: unknown or invisible). */
export interface PolledRepository {
  readonly owner: string;
  readonly name: string;
  readonly repository: ApiRepository | null;
  /** Oldest first, as the connection returns them. */
  readonly builds: readonly ApiBuild[];
}

/** What `rerunFailed` did: re-ran these tasks, or retriggered a build that had none. */
export type RerunResult =
  | { readonly kind: 'rerun'; readonly tasks: readonly { id: string; name: string }[] }
  | { readonly kind: 'retrigger'; readonly status: string };

export interface CirrusApi {
  /** Latest builds of every repository, in one request. */
  pollRepositories(
    repositories: readonly { owner: string; name: string }[],
    buildsPerRepository?: number,
  ): Promise<PolledRepository[]>;
  /** One build with tasks and repository; null when it does not exist or is not visible. */
  getBuild(buildId: string): Promise<ApiBuildWithRepository | null>;
  /** Approves a `NEEDS_APPROVAL` build; resolves to its new status. */
  approveBuild(buildId: string): Promise<{ status: string }>;
  /** Re-runs the FAILED and ABORTED tasks of a build, or retriggers a build without tasks. */
  rerunFailed(buildId: string): Promise<RerunResult>;
  /** Runs the whole build again. */
  retrigger(buildId: string): Promise<{ status: string }>;
  /**
   * Each task's first failed command with its log's last lines, in one request; a task not found
   * or not visible is left out.
   */
  failedCommands(taskIds: readonly string[], signal?: AbortSignal): Promise<ApiFailedTask[]>;
  /** The same for every task of a build (empty when the build is not found or not visible). */
  buildFailedCommands(buildId: string, signal?: AbortSignal): Promise<ApiFailedTask[]>;
}

const RERUNNABLE = new Set(['FAILED', 'ABORTED']);

/** Creates the client. Throws a TypeError at once on an endpoint that is not an http(s) URL. */
export function createCirrusApi(options: CirrusApiOptions = {}): CirrusApi {
  const { request, hasToken } = createCirrusTransport(options);
  const mutationId = options.mutationId ?? (() => `buildbell-${randomUUID()}`);

  /** Runs a mutation; on a permission refusal, looks up the owner so the advice names the page. */
  async function mutate<T>(call: CirrusCall<T>, buildId: string): Promise<T> {
    try {
      return await request(call);
    } catch (error) {
      if (!(error instanceof CirrusPermissionError) || error.owner !== undefined) throw error;
      const owner = await getBuild(buildId).then((b) => b?.repository.owner, () => undefined);
      throw new CirrusPermissionError(error.action, error.needs, error.hadToken, owner, error.detail);
    }
  }

  async function getBuild(buildId: string): Promise<ApiBuildWithRepository | null> {
    const data = await request({
      document: BUILD_QUERY,
      variables: { id: buildId },
      schema: buildDataSchema,
      action: `read build ${buildId}`,
      needs: 'READ',
    });
    return data.build;
  }

  async function retrigger(buildId: string): Promise<{ status: string }> {
    const data = await mutate(
      {
        document: RETRIGGER_MUTATION,
        variables: { buildId, clientMutationId: mutationId() },
        schema: retriggerDataSchema,
        action: `retrigger build ${buildId}`,
        needs: 'WRITE',
      },
      buildId,
    );
    return { status: data.retrigger.build.status };
  }

  async function approveBuild(buildId: string): Promise<{ status: string }> {
    const data = await mutate(
      {
        document: APPROVE_MUTATION,
        variables: { buildId, clientMutationId: mutationId() },
        schema: approveDataSchema,
        action: `approve build ${buildId}`,
        needs: 'WRITE',
      },
      buildId,
    );
    return { status: data.approve.build.status };
  }

  async function rerunFailed(buildId: string): Promise<RerunResult> {
    const build = await getBuild(buildId);
    if (build === null) {
      const hint = hasToken ? '' : ' (a private repository needs a token)';
      throw new CirrusNotFoundError(`Cirrus has no build ${buildId} visible to this token${hint}`);
    }
    if (build.tasks.length === 0) return { kind: 'retrigger', status: (await retrigger(buildId)).status };
    const failed = build.tasks.filter((task) => RERUNNABLE.has(task.status));
    if (failed.length === 0) {
      throw new CirrusNothingToDoError(`Build ${buildId} has no failed or aborted tasks to re-run (status ${build.status})`);
    }
    const data = await mutate(
      {
        document: BATCH_RERUN_MUTATION,
        variables: { taskIds: failed.map((task) => task.id), clientMutationId: mutationId() },
        schema: batchReRunDataSchema,
        action: `re-run ${failed.length} failed task(s) of build ${buildId}`,
        needs: 'WRITE',
      },
      buildId,
    );
    return { kind: 'rerun', tasks: data.batchReRun.newTasks.map(({ id, name }) => ({ id, name })) };
  }

  return {
    async pollRepositories(repositories, buildsPerRepository = DEFAULT_BUILDS_PER_REPOSITORY) {
      if (repositories.length === 0) return [];
      const data = await request({
        document: pollQuery(repositories.length),
        variables: pollVariables(repositories, buildsPerRepository),
        schema: pollDataSchema,
        action: `poll ${repositories.length} ${repositories.length === 1 ? 'repository' : 'repositories'}`,
        needs: 'READ',
      });
      return repositories.map(({ owner, name }, i) => {
        const polled = data[pollAlias(i)] ?? null;
        if (polled === null) return { owner, name, repository: null, builds: [] };
        const { builds, ...repository } = polled;
        return { owner, name, repository, builds: builds.edges.map((edge) => edge.node) };
      });
    },

    getBuild,

    async failedCommands(taskIds, signal) {
      if (taskIds.length === 0) return [];
      const variables = Object.fromEntries(taskIds.map((id, i) => [failedTaskAlias(i), id]));
      const data = await request({
        document: failedCommandsQuery(taskIds.length),
        variables,
        schema: failedCommandsDataSchema,
        action: `read why ${taskIds.length === 1 ? `task ${taskIds[0]}` : `${taskIds.length} tasks`} failed`,
        needs: 'READ',
        ...(signal ? { signal } : {}),
      });
      return taskIds.flatMap((_, i) => data[failedTaskAlias(i)] ?? []);
    },

    async buildFailedCommands(buildId, signal) {
      const data = await request({
        document: BUILD_FAILED_COMMANDS_QUERY,
        variables: { id: buildId },
        schema: buildFailedCommandsDataSchema,
        action: `read why build ${buildId} failed`,
        needs: 'READ',
        ...(signal ? { signal } : {}),
      });
      return data.build?.tasks ?? [];
    },

    approveBuild,
    rerunFailed,
    retrigger,
  };
}
