/**
 * Which change of a build is worth telling the user about. A transition is judged from the
 * build's own state change and from how the branch did last time, so "fixed" and "still failing"
 * mean something across builds, not only within one.
 */
import { z } from 'zod';
import type { BuildState } from '../event.js';

/**
 * The transitions a user can switch on or off. Names follow `BuildState` (snake case) so
 * `needs_approval` reads the same in a settings file, an event and a transition.
 */
export const transitionSchema = z.enum([
  'started',
  'passed',
  'failed',
  'fixed',
  'still_failing',
  'needs_approval',
  'aborted',
  'errored',
]);
export type Transition = z.infer<typeof transitionSchema>;

/**
 * Which transitions raise a notification unless the user says otherwise: the ones that ask the
 * user to act (a failure, a fix of their failure, an approval). Starts, passes and aborts are
 * routine, so they are recorded in the tray but not announced.
 */
export const DEFAULT_TRANSITION_TOGGLES: Readonly<Record<Transition, boolean>> = {
  started: false,
  passed: false,
  failed: true,
  fixed: true,
  still_failing: true,
  needs_approval: true,
  aborted: false,
  errored: true,
};

/**
 * The last finished, non-aborted outcome of a repository+branch. Aborted builds are left out on
 * purpose: someone cancelling a build says nothing about whether the branch is healthy, so a pass
 * after "failed, aborted" is still a fix.
 */
export type BranchOutcomeState = Extract<BuildState, 'passed' | 'failed' | 'errored'>;

/** True for the outcomes that count as "the branch was broken". */
export function isBrokenOutcome(outcome: BranchOutcomeState | undefined): boolean {
  return outcome === 'failed' || outcome === 'errored';
}

/**
 * The transition a build made, or null when the change is not one users care about (e.g.
 * `queued`, or no change at all).
 *
 * @param before the build's previous state, undefined when the build is new to the engine
 * @param after the build's state now
 * @param branchBefore the branch's last finished outcome before this build's change
 */
export function detectTransition(
  before: BuildState | undefined,
  after: BuildState,
  branchBefore: BranchOutcomeState | undefined,
): Transition | null {
  if (before === after) return null;
  switch (after) {
    case 'queued':
      return null;
    case 'running':
      // Any way into running counts: from the queue, after approval, or a re-run of a finished build.
      return 'started';
    case 'needs_approval':
      return 'needs_approval';
    case 'passed':
      return isBrokenOutcome(branchBefore) ? 'fixed' : 'passed';
    case 'failed':
      return isBrokenOutcome(branchBefore) ? 'still_failing' : 'failed';
    case 'aborted':
      return 'aborted';
    case 'errored':
      // An errored build usually never ran (bad config); it is its own news, not "still failing".
      return 'errored';
  }
}
