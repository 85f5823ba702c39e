/**
 * The Cirrus GraphQL client: one small function per document in `queries.ts`, every answer
 * parsed with zod, every failure a typed error from `errors.ts`. The transport (`fetch`) comes in
 * through the options, so tests and the simulator need no network mocking.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { parseJsonLosslessly } from '../../../core/json.js';
import type { BuildActionsPort } from '../../../core/ports.js';
import { describeZodError } from '../../../core/validation.js';
import { CIRRUS_API } from '../links.js';
import {
  CirrusGraphqlError,
  CirrusHttpError,
  CirrusNetworkError,
  CirrusNotFoundError,
  CirrusNothingToDoError,
  CirrusPermissionError,
  CirrusResponseError,
  isPermissionMessage,
} from './errors.js';
import {
  APPROVE_MUTATION,
  BATCH_RERUN_MUTATION,
  BUILD_QUERY,
  DEFAULT_BUILDS_PER_REPOSITORY,
  pollAlias,
  pollQuery,
  pollVariables,
  RETRIGGER_MUTATION,
} from './queries.js';
import type { ApiBuild, ApiBuildWithRepository, ApiRepository } from './responses.js';
import {
  approveDataSchema,
  batchReRunDataSchema,
  buildDataSchema,
  graphqlEnvelopeSchema,
  pollDataSchema,
  retriggerDataSchema,
} from './responses.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface CirrusApiOptions {
  /** The GraphQL endpoint. Default: `https://api.cirrus-ci.com/graphql`. */
  readonly endpoint?: string;
  /** A Cirrus API token, sent as `Authorization: Bearer`. Default: none (public repositories only). */
  readonly token?: string;
  /** The transport. Default: the global `fetch`. */
  readonly fetch?: FetchLike;
  /** Abort a request after this many ms. Default: 30 000. */
  readonly timeoutMs?: number;
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

/** What `rerunFailedTasks` did: re-ran these tasks, or retriggered a build that had none. */
export type RerunResult =
  | { readonly kind: 'rerun'; readonly tasks: readonly { id: string; name: string }[] }
  | { readonly kind: 'retrigger'; readonly status: string };

export interface CirrusApi extends BuildActionsPort {
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
}

const RERUNNABLE = new Set(['FAILED', 'ABORTED']);

/** Creates the client. Throws a TypeError at once on an endpoint that is not an http(s) URL. */
export function createCirrusApi(options: CirrusApiOptions = {}): CirrusApi {
  const endpoint = options.endpoint ?? CIRRUS_API;
  const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new TypeError(`Cirrus endpoint must be an http(s) URL, got '${endpoint}'`);
  }
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const mutationId = options.mutationId ?? (() => `buildbell-${randomUUID()}`);
  const token = options.token !== undefined && options.token.length > 0 ? options.token : undefined;

  interface Call<T> {
    readonly document: string;
    readonly variables: Record<string, unknown>;
    readonly schema: z.ZodType<T>;
    /** For messages: `approve build 123`. */
    readonly action: string;
    readonly needs: 'READ' | 'WRITE';
  }

  async function request<T>(call: Call<T>): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: call.document, variables: call.variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new CirrusNetworkError(`Cannot reach the Cirrus API at ${endpoint} to ${call.action}: ${errorText(error)}`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new CirrusPermissionError(call.action, call.needs, token !== undefined, undefined, `HTTP ${response.status} ${snippet(text)}`);
    }
    if (!response.ok) {
      throw new CirrusHttpError(response.status, `Cirrus API answered HTTP ${response.status} to ${call.action}: ${snippet(text)}`);
    }
    let envelope;
    try {
      envelope = graphqlEnvelopeSchema.parse(parseJsonLosslessly(text));
    } catch (error) {
      throw new CirrusResponseError(`Cirrus API sent no GraphQL answer to ${call.action}: ${errorText(error)}`);
    }
    const errors = envelope.errors ?? [];
    const refused = errors.find((e) => isPermissionMessage(e.message, e.extensions?.['code']));
    if (refused) throw new CirrusPermissionError(call.action, call.needs, token !== undefined, undefined, refused.message);
    if (errors.length > 0) throw new CirrusGraphqlError(errors.map((e) => e.message));
    const parsed = call.schema.safeParse(envelope.data);
    if (!parsed.success) {
      throw new CirrusResponseError(`Unexpected Cirrus answer to ${call.action}: ${describeZodError(parsed.error)}`);
    }
    return parsed.data;
  }

  /** Runs a mutation; on a permission refusal, looks up the owner so the advice names the page. */
  async function mutate<T>(call: Call<T>, buildId: string): Promise<T> {
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

  return {
    async pollRepositories(repositories, buildsPerRepository = DEFAULT_BUILDS_PER_REPOSITORY) {
      if (repositories.length === 0) return [];
      const data = await request({
        document: pollQuery(repositories.length),
        variables: pollVariables(repositories, buildsPerRepository),
        schema: pollDataSchema,
        action: `poll ${repositories.length} repositories`,
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

    approveBuild,
    rerunFailed,
    retrigger,
    // The engine's port: same calls, results dropped.
    approve: async (buildId) => void (await approveBuild(buildId)),
    rerunFailedTasks: async (buildId) => void (await rerunFailed(buildId)),
  };

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
      const hint = token === undefined ? ' (a private repository needs a token)' : '';
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
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

/** The start of a body, for an error message: enough to recognise a proxy's page, not a dump. */
function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
