/**
 * The ports through which every side effect enters the engine (DESIGN.md, "Layers"): the same
 * engine runs under Electron, in a terminal and in a test, with different adapters behind these.
 */

import type { Provider, Repository } from './event.js';

/** Epoch milliseconds now. Passed in so tests and summaries do not depend on the wall clock. */
export type Clock = () => number;

/**
 * What a click on a notification, or one of its buttons, asks for. `acknowledge` is "I'm on it"
 * on a failed build and `withdraw` takes it back (issue #17).
 */
export type NotificationActionId = 'open' | 'approve' | 'rerun' | 'acknowledge' | 'withdraw';

export interface NotificationAction {
  readonly id: Exclude<NotificationActionId, 'open'>;
  /** Button text, e.g. "Approve", "Re-run failed tasks" or "I'm on it". */
  readonly label: string;
}

/** A notification the engine wants shown. Notifiers render it; they decide nothing. */
export interface NotificationIntent {
  /**
   * One key per build (or per summary): showing an intent with a key already on screen replaces
   * that notification instead of adding another.
   */
  readonly key: string;
  readonly title: string;
  readonly body: string;
  /** The https page a plain click opens (the build, or the failed task). */
  readonly url: string;
  readonly urgency: 'low' | 'normal' | 'critical';
  readonly actions: readonly NotificationAction[];
  /**
   * An update of the notification on screen with this key (why it failed, who is on it), not new
   * news: replaced without a sound where the notifier can say so. Absent: a new notification.
   */
  readonly quiet?: boolean;
}

export interface NotifierPort {
  /** Shows or replaces the notification with this intent's key. */
  show(intent: NotificationIntent): Promise<void>;
  /** Called when the user clicks a notification (`open`) or one of its buttons. */
  onActivate(listener: (key: string, action: NotificationActionId) => void): void;
  /** Releases the notifier's resources (D-Bus connection, child processes). */
  close(): Promise<void>;
}

/** Opens an https URL in the user's browser (system opener, or Electron's shell). */
export type OpenerPort = (url: string) => Promise<void>;

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * A build as an action names it: the provider (which CI's API), the repository (where, for the
 * APIs that address builds under it) and the id in the provider's own form. Ids alone are not
 * unique: a Cirrus build and a GitHub run can share one.
 */
export interface BuildRef {
  readonly provider: Provider;
  readonly repository: Pick<Repository, 'owner' | 'name'>;
  readonly id: string;
  /** The build's web page: its host says which installation (github.com, a GitHub Enterprise Server) it lives on. */
  readonly url: string;
}

/** The write actions a notifier offers, carried out against the provider's API. */
export interface BuildActionsPort {
  /** Whether some API can act on this build (its provider and host); absent: every build. Decides which buttons show. */
  canAct?(build: BuildRef): boolean;
  /** Approves a build waiting in `needs_approval`. */
  approve(build: BuildRef): Promise<void>;
  /** Re-runs the failed tasks of a finished build (Cirrus `batchReRun`, GitHub's re-run of failed jobs). */
  rerunFailedTasks(build: BuildRef): Promise<void>;
}

/**
 * "I'm on it", shared through a relay (issue #17; the frames are in protocol.ts). A source that
 * holds a relay stream offers one; without one, an acknowledgement stays on this desktop.
 */
export interface AcknowledgePort {
  /** Whether a connected relay carries this build's repository: only then is an acknowledgement shared. */
  canShare(build: BuildRef): boolean;
  /**
   * Sends "I'm on it" (`active`) or its withdrawal. Resolves once the relay has stored it (its
   * acknowledgement frame came back); rejects with the relay's reason (its error frame), when no
   * relay is connected, or after a timeout.
   */
  acknowledge(build: BuildRef, active: boolean): Promise<void>;
}
