/**
 * Whether a late or repeated snapshot may overwrite what is known about a build or task.
 *
 * Webhooks arrive out of order now and then, and a task event carries a copy of its build that
 * may be older than the last build event. Timestamps do not settle it: Cirrus's `changedAt` is
 * the commit's time, the same for every status of a build. So the rule is the lifecycle itself:
 * a snapshot may move a build forward (queued → running → finished), never back, unless the
 * provider says the build left exactly the state we know (`previousStatus` equals the known
 * status), which is how a re-run of a finished build looks.
 */
import { isFinalState, type TaskState } from '../event.js';

function progress(state: TaskState): number {
  if (isFinalState(state)) return 2;
  if (state === 'running') return 1;
  // queued and needs_approval have no order between them: CREATED → NEEDS_APPROVAL → TRIGGERED.
  return 0;
}

export interface KnownStatus {
  readonly state: TaskState;
  /** The provider's own status word for `state`. */
  readonly status: string;
}

export interface IncomingStatus {
  readonly state: TaskState;
  readonly previousStatus: string | null;
}

/**
 * True when `incoming` may replace `known`. Between two final states the later arrival wins:
 * only a re-run leads from one to the other, and the relay delivers in the order it received.
 */
export function acceptsStatus(known: KnownStatus | undefined, incoming: IncomingStatus): boolean {
  if (known === undefined) return true;
  if (incoming.previousStatus !== null && incoming.previousStatus === known.status) return true;
  return progress(incoming.state) >= progress(known.state);
}
