/**
 * What every source is to the rest of the client: prepared first (its actions exist before the
 * engine that needs them), then started against the part of the engine it feeds, then stopped.
 * One file, imported by every source folder and by the session, so no source imports another.
 */
import type { FailureDetailPort } from '../../core/failureDetailPort.js';
import type { AcknowledgePort, Clock, Logger } from '../../core/ports.js';
import type { Engine } from '../engine/engine.js';
import type { SourceActions } from './actionRouter.js';

/** The part of the engine a source feeds. */
export type EventSink = Pick<Engine, 'handle' | 'handleAcknowledgement' | 'beginCatchUp' | 'endCatchUp' | 'setConnection' | 'trayModel'>;

export interface PreparedSource {
  /** For people: "relay 127.0.0.1:8787", "Cirrus API (3 repositories)", "demo (simulator)". */
  readonly label: string;
  /** Approve and re-run through the APIs this source holds tokens for, one per provider and host; empty when none. */
  readonly actions: readonly SourceActions[];
  /** Why builds failed, through the APIs this source holds clients for; absent when none can say. */
  readonly failureDetail?: FailureDetailPort;
  /** "I'm on it" shared through the relay this source holds a stream to; absent for sources without one. */
  readonly acknowledgements?: AcknowledgePort;
  start(sink: EventSink): Promise<void>;
  stop(): Promise<void>;
}

export interface SourceDependencies {
  readonly logger: Logger;
  readonly clock: Clock;
}

