/**
 * A poller as a source, the same for every CI: "first poll" until the first answer, connected once
 * it succeeds, the reason while polls fail, and "<CI> rate limit: paused until 14:05" while the
 * rate limit holds polling back. The provider's source gives its label, its actions and how to
 * make its poller.
 */
import type { NormalisedEvent } from '../../core/event.js';
import type { SourceActions } from './actionRouter.js';
import type { PreparedSource } from './contract.js';

/** What the source reports to its poller's callbacks. */
export interface PollReports {
  readonly onEvent: (event: NormalisedEvent) => void;
  readonly onError: (error: Error) => void;
  readonly onPause: (until: number | null) => void;
}

/** The poller as the source runs it. */
export interface RunningPoller {
  start(): void;
  stop(): void;
  pollNow(): Promise<{ readonly ok: boolean }>;
  /** Polling held back by the rate limit until then (null when not); absent for a CI without a rate limit. */
  pausedUntil?(): number | null;
}

export interface PollingSourceSpec {
  /** "GitHub API (2 repositories)". */
  readonly label: string;
  /** The CI's name for the pause line: "GitHub". */
  readonly ci: string;
  readonly actions: readonly SourceActions[];
  readonly createPoller: (reports: PollReports) => RunningPoller;
}

/** What the tray says while the rate limit holds polling back: "GitHub rate limit: paused until 14:05". */
export function describeRateLimitPause(ci: string, until: number): string {
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(until));
  return `${ci} rate limit: paused until ${time}`;
}

export function preparePollingSource(spec: PollingSourceSpec): PreparedSource {
  const { label } = spec;
  let stopPoller: (() => void) | undefined;
  return {
    label,
    actions: spec.actions,
    async start(sink) {
      sink.setConnection({ connected: false, source: label, reason: 'first poll' });
      const poller = spec.createPoller({
        onEvent: (event) => sink.handle(event),
        onError: (error) => sink.setConnection({ connected: false, source: label, reason: error.message }),
        onPause: (until) =>
          sink.setConnection(until === null ? { connected: true, source: label, reason: null } : { connected: false, source: label, reason: describeRateLimitPause(spec.ci, until) }),
      });
      stopPoller = () => poller.stop();
      const first = await poller.pollNow();
      if (first.ok && (poller.pausedUntil?.() ?? null) === null) sink.setConnection({ connected: true, source: label, reason: null });
      poller.start();
    },
    stop: async () => stopPoller?.(),
  };
}

/** "3 repositories", "1 project". */
export function countOf(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
