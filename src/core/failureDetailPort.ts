/**
 * The port through which the engine asks a CI's API why a build failed. Apart from the detail's
 * schema (failureDetail.ts), which the normalised event includes, so the event does not depend
 * on the engine's ports.
 */
import type { Provider, Repository } from './event.js';
import type { FailureDetail, TaskFailure } from './failureDetail.js';

/** What the engine asks a provider about one failed build. */
export interface FailureDetailRequest {
  readonly provider: Provider;
  readonly repository: Pick<Repository, 'owner' | 'name'>;
  readonly buildId: string;
  /** The build's page: its host says which installation (github.com, a GitHub Enterprise Server) it lives on. */
  readonly buildUrl: string;
  /**
   * The failed tasks to ask about, with what is already known of each (a GitHub job's failed step
   * comes with its webhook). Empty when the engine knows none of the build's tasks (a polled
   * GitHub run lists no jobs): the provider then finds the failed ones itself.
   */
  readonly tasks: readonly { readonly id: string; readonly name: string; readonly url: string; readonly known: FailureDetail | null }[];
}

/**
 * Fetches failure detail from a CI's API. Each provider implements it beside its source
 * (`client/sources/<provider>/failureDetail.ts`) and a source offers it as
 * `PreparedSource.failureDetail`; the engine needs nothing per provider. The engine asks only for failures that notify, at most
 * once per task, and gives up after a time bound (aborting `signal`): the notification is out
 * already and is updated if the answer comes in time. An implementation respects its API's rate
 * limits itself: while they hold requests back it answers at once with nothing.
 */
export interface FailureDetailPort {
  /** Whether this port can ask about builds of this provider on this page's host. */
  supports(build: Pick<FailureDetailRequest, 'provider' | 'buildUrl'>): boolean;
  /** The failed tasks' details it found (possibly none); rejects when the API failed. */
  fetch(request: FailureDetailRequest, signal: AbortSignal): Promise<readonly TaskFailure[]>;
}

/** One port for several: each request goes to the first that supports its build. */
export function combineFailureDetailPorts(ports: readonly FailureDetailPort[]): FailureDetailPort | undefined {
  if (ports.length === 0) return undefined;
  if (ports.length === 1) return ports[0];
  const pick = (build: Pick<FailureDetailRequest, 'provider' | 'buildUrl'>) => ports.find((port) => port.supports(build));
  return {
    supports: (build) => pick(build) !== undefined,
    fetch: async (request, signal) => {
      const port = pick(request);
      return port ? port.fetch(request, signal) : [];
    },
  };
}
