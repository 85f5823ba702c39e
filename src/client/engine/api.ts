/**
 * What the engine promises its callers (the Electron main process, `buildbell watch`, the event
 * sources): its options and its methods. Apart from the wiring in engine.ts, so a caller can read
 * the whole contract in one place; engine.ts re-exports every name here.
 */
import type { Acknowledgement } from '../../core/acknowledgement.js';
import type { TrayModel } from '../../core/engine/trayModel.js';
import type { NormalisedEvent } from '../../core/event.js';
import type { FailureDetailPort } from '../../core/failureDetailPort.js';
import type { AcknowledgePort, BuildActionsPort, Clock, Logger, NotificationActionId, NotifierPort, OpenerPort } from '../../core/ports.js';
import type { Settings } from '../settings/schema.js';
import type { TimersPort } from './timers.js';

export interface EngineOptions {
  /** Parsed settings (see `settingsSchema`). */
  readonly settings: Settings;
  readonly clock: Clock;
  readonly notifier: NotifierPort;
  /** Approve and re-run. Absent (no token with WRITE): no such buttons, and a clear error if asked. */
  readonly actions?: BuildActionsPort;
  readonly opener: OpenerPort;
  /**
   * "I'm on it" shared through a relay. Absent, or when it cannot share a build: the user's word
   * stays on this desktop ("You're on it"), and nobody else's is heard.
   */
  readonly acknowledgements?: AcknowledgePort;
  /**
   * Asks the CIs' APIs why a build failed, for failures that notify; the notification is updated
   * when the answer comes. Absent: notifications say what the events said, nothing more.
   */
  readonly failureDetail?: FailureDetailPort;
  /** How long a failure detail answer may take before it is given up. Default 15 000 ms. */
  readonly failureDetailTimeoutMs?: number;
  /** Default: silent. */
  readonly logger?: Logger;
  /** Default: `systemTimers`. */
  readonly timers?: TimersPort;
  /** Minutes since local midnight at an instant, for quiet hours. Default: the process's time zone. */
  readonly localMinutesOfDay?: (epochMs: number) => number;
}

export interface HandleOptions {
  /**
   * The event is a replay of what happened while away. Without `beginCatchUp()`, flagged events
   * start a catch-up that ends at `endCatchUp()`, at the first unflagged event, or after a burst
   * window with no event.
   */
  readonly catchUp?: boolean;
  /** The name of the source it came from, for that source's "last event 2 min ago". */
  readonly source?: string;
}

export interface AcknowledgementOptions {
  /** Part of a replay of what happened while away: it updates no notification on screen. */
  readonly catchUp?: boolean;
  /** Sent with this desktop's token (the relay's echo of the user's own word, or another desktop of theirs). */
  readonly own: boolean;
  /** The name of the source it came from, for that source's "last event 2 min ago". */
  readonly source?: string;
}

export interface ConnectionUpdate {
  readonly connected: boolean;
  /** Which source, by the name the user gave it ("work relay"): one connection per source. */
  readonly source: string;
  /** Why not connected, e.g. "reconnecting in 8 s". */
  readonly reason?: string | null;
}

export interface Engine {
  /** Folds in one event; shows, updates or holds back its notification; refreshes the tray. */
  handle(event: NormalisedEvent, options?: HandleOptions): void;
  /**
   * Folds in someone's "I'm on it" or its withdrawal (from a relay): the build's tray entry says
   * who is on it, and its failure notification, if still out, is updated in place (no new banner).
   */
  handleAcknowledgement(ack: Acknowledgement, options: AcknowledgementOptions): void;
  /**
   * The user's "I'm on it" (`active`) on a build, or its withdrawal: through the relay that
   * carries the build, else held on this desktop. Never rejects: a failure becomes a tray event
   * and a notification. Also reachable as `activate(key, 'acknowledge' | 'withdraw')`.
   */
  acknowledge(buildKey: string, active: boolean): Promise<void>;
  /** Holds every notification until `endCatchUp()`, which shows one for the whole replay. */
  beginCatchUp(): void;
  endCatchUp(): void;
  setConnection(update: ConnectionUpdate): void;
  /** A source that is gone (removed from the settings): its connection leaves the tray. */
  forgetConnection(source: string): void;
  /** Adds a repository glob to the muted list (a settings change). */
  mute(pattern: string): void;
  /** Removes a muted glob exactly as listed (the tray gives it as `mutedBy`). */
  unmute(pattern: string): void;
  /** No banners until this instant (epoch ms); the tray still updates. */
  pauseUntil(epochMs: number): void;
  resume(): void;
  /** Settings from outside (the settings window, a reloaded file); not echoed to `onSettingsChange`. */
  updateSettings(settings: Settings): void;
  settings(): Settings;
  /** Settings the engine changed itself (mute, pause): the caller saves them. Returns an unsubscribe. */
  onSettingsChange(listener: (settings: Settings) => void): () => void;
  trayModel(): TrayModel;
  onTrayModelChange(listener: (model: TrayModel) => void): () => void;
  /** What a click does, for notifications and tray items alike; also wired to `notifier.onActivate`. */
  activate(key: string, action: NotificationActionId): Promise<void>;
  /** Stops the timers; later calls do nothing. Does not close the notifier (the caller owns it). */
  close(): void;
}
