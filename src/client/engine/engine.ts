/**
 * The engine: the pure core (tracking, transitions, filters, content, coalescing, tray model)
 * wired to its ports. The same engine runs in Electron and in `buildbell watch`; only the ports
 * differ. It does no I/O of its own: notifications go to the notifier, pages to the opener,
 * approvals to the actions port, and settings changes (mute, pause) to `onSettingsChange`
 * listeners, which persist them.
 *
 * This file wires; the contract is in api.ts and the work in the parts: `CatchUp`,
 * `reportBuildChange`, `NotificationPipeline`, `EngineSettings`, `TrayActivity`, `runActivation`.
 *
 * Time: `clock` says what time it is; `timers` (default: Node's, unref'd so they never keep a
 * process alive) wake the engine to update a burst summary, end an unmarked catch-up and flip
 * the tray when a pause ends. Tests pass fake ones.
 */
import type { Acknowledgement } from '../../core/acknowledgement.js';
import { AcknowledgementBook, entryOf } from '../../core/engine/acknowledgementBook.js';
import { BuildTracker, buildKey, type TrackedBuild } from '../../core/engine/buildTracker.js';
import { localMinutesOfDay } from '../../core/engine/filters.js';
import { buildTrayModel, type TrayModel } from '../../core/engine/trayModel.js';
import { repositorySlug, type NormalisedEvent } from '../../core/event.js';
import type { TaskFailure } from '../../core/failureDetail.js';
import { buildVisibility } from '../../core/engine/filters.js';
import { bestUrl, buildKeyOfNotification, buildPlace } from '../../core/engine/notificationContent.js';
import { acknowledgementWords } from '../../core/engine/trayText.js';
import type { AcknowledgePort, BuildActionsPort, Clock, Logger, NotificationActionId, NotifierPort, OpenerPort } from '../../core/ports.js';
import { silentLogger } from '../../core/ports.js';
import { CatchUp } from './catchUp.js';
import { runActivation, type ActivationOutcome } from './actions.js';
import { runAcknowledge } from './acknowledging.js';
import type { AcknowledgementOptions, ConnectionUpdate, Engine, EngineOptions, HandleOptions } from './api.js';
import { EngineSettings } from './liveSettings.js';
import { FailureDetails } from './failureDetails.js';
import { Listeners } from './listeners.js';
import { NotificationPipeline } from './notificationPipeline.js';
import { reportBuildChange, type BuildChangeContext } from './reportBuildChange.js';
import type { Settings } from '../settings/schema.js';
import { NamedTimers, systemTimers } from './timers.js';
import { TrayActivity } from './trayActivity.js';

export { systemTimers, type TimersPort } from './timers.js';
export type { AcknowledgementOptions, ConnectionUpdate, Engine, EngineOptions, HandleOptions } from './api.js';

export function createEngine(options: EngineOptions): Engine {
  return new BuildEngine(options);
}

class BuildEngine implements Engine {
  readonly #clock: Clock;
  readonly #notifier: NotifierPort;
  readonly #actions: BuildActionsPort | undefined;
  readonly #opener: OpenerPort;
  readonly #logger: Logger;
  readonly #tracker = new BuildTracker();
  /** Who is on which build ("I'm on it"). */
  readonly #onIt = new AcknowledgementBook();
  readonly #acknowledgements: AcknowledgePort | undefined;
  readonly #flushTimer: NamedTimers<'flush'>;
  readonly #pipeline: NotificationPipeline;
  readonly #catchUp: CatchUp;
  readonly #settings: EngineSettings;
  readonly #activity: TrayActivity;
  readonly #trayListeners: Listeners<TrayModel>;
  /** What `reportBuildChange` needs of the engine's parts. */
  readonly #changeContext: BuildChangeContext;
  /** Why builds failed, from the CIs' APIs; undefined without a port. */
  readonly #details: FailureDetails | undefined;
  #closed = false;

  constructor(options: EngineOptions) {
    const timers = options.timers ?? systemTimers;
    this.#clock = options.clock;
    this.#notifier = options.notifier;
    this.#actions = options.actions;
    this.#opener = options.opener;
    this.#acknowledgements = options.acknowledgements;
    this.#logger = options.logger ?? silentLogger;
    this.#trayListeners = new Listeners(this.#logger, 'a tray listener failed');
    this.#flushTimer = new NamedTimers(timers, this.#clock);
    this.#pipeline = new NotificationPipeline({
      notifier: this.#notifier,
      logger: this.#logger,
      clock: this.#clock,
      timers: this.#flushTimer,
      canAct: (build) => this.#actions?.canAct?.(build) ?? this.#actions !== undefined,
      onIt: (key) => this.#onIt.onIt(key),
      burstThreshold: options.settings.coalescing.burstThreshold,
      burstWindowMs: options.settings.coalescing.burstWindowSeconds * 1000,
    });
    this.#catchUp = new CatchUp({
      pipeline: this.#pipeline,
      timers: new NamedTimers(timers, this.#clock),
      onEnd: () => this.#emitTrayModel(),
    });
    this.#activity = new TrayActivity();
    this.#notifier.onActivate((key, action) => void this.activate(key, action));
    // After the pipeline and the tray listeners, which its hooks reach; it arms the timer of a pause already in force.
    this.#settings = new EngineSettings({
      initial: options.settings,
      clock: this.#clock,
      logger: this.#logger,
      localMinutesOfDay: options.localMinutesOfDay ?? localMinutesOfDay,
      timers: new NamedTimers(timers, this.#clock),
      onApply: (settings) =>
        this.#pipeline.setBurst(settings.coalescing.burstThreshold, settings.coalescing.burstWindowSeconds * 1000),
      refreshTray: () => this.#emitTrayModel(),
    });
    this.#changeContext = { settings: this.#settings, pipeline: this.#pipeline, activity: this.#activity, logger: this.#logger };
    this.#details = options.failureDetail
      ? new FailureDetails({
          port: options.failureDetail,
          timers,
          logger: this.#logger,
          ...(options.failureDetailTimeoutMs === undefined ? {} : { timeoutMs: options.failureDetailTimeoutMs }),
          onFailure: (buildKey, failure) => this.#explainFailure(buildKey, failure),
        })
      : undefined;
  }

  handle(event: NormalisedEvent, options: HandleOptions = {}): void {
    if (this.#closed) return;
    const now = this.#clock();
    this.#catchUp.beforeEvent(options.catchUp === true);
    const result = this.#tracker.apply(event);
    if (result.kind === 'duplicate') return;
    this.#activity.noteEventFrom(result.after.slug, now, options.source);
    // Before the build's own notification, which must not say that someone is on the failure before.
    const cleared = this.#onIt.afterBuildChange(result.after, result.stateChanged, event.receivedAt);
    reportBuildChange(this.#changeContext, result, event.receivedAt, now);
    if (this.#details) {
      if (result.newAttempt) this.#details.forgetBuild(result.after.key);
      // Asked after the notification went out: the answer only ever updates it.
      if (this.#pipeline.explainsFailure(result.after)) this.#details.request(result.after);
    }
    for (const key of cleared) if (key !== result.after.key) this.#refreshNotification(this.#tracker.get(key));
    this.#catchUp.afterEvent(now);
    this.#emitTrayModel();
  }

  handleAcknowledgement(ack: Acknowledgement, options: AcknowledgementOptions): void {
    if (this.#closed) return;
    const now = this.#clock();
    this.#catchUp.beforeEvent(options.catchUp === true);
    this.#activity.noteEventFrom(repositorySlug(ack.repository), now, options.source);
    const changed = this.#onIt.record(entryOf(ack, options.own));
    // A build not seen yet keeps its word in the book (its tray entry and notification say it when its
    // events come); the line in the events names it by what the relay says of it.
    const build = this.#tracker.get(buildKey(ack.provider, ack.buildId));
    const about = build ?? { slug: repositorySlug(ack.repository), branch: ack.branch, initiator: null };
    if (changed && buildVisibility(about, this.#settings.visibilityRules()) === 'visible') {
      this.#activity.record({
        at: ack.at,
        text: `${acknowledgementWords({ name: ack.by, own: options.own }, ack.active)}: ${buildPlace(about)}`,
        kind: options.own ? 'action' : 'build',
        buildKey: buildKey(ack.provider, ack.buildId),
        url: build ? bestUrl(build) : null,
      });
      this.#refreshNotification(build);
    }
    this.#catchUp.afterEvent(now);
    this.#emitTrayModel();
  }

  async acknowledge(key: string, active: boolean): Promise<void> {
    const { outcome, changed } = await runAcknowledge(
      { port: this.#acknowledgements, book: this.#onIt, clock: this.#clock, logger: this.#logger, findBuild: (buildKey) => this.#tracker.get(buildKey) },
      key,
      active,
    );
    if (this.#closed) return;
    if (changed) this.#refreshNotification(changed);
    // A word held here changes the tray now; a shared one when its echo comes (handleAcknowledgement).
    if (outcome) this.#report(outcome);
    else if (changed) this.#emitTrayModel();
  }

  beginCatchUp(): void {
    this.#catchUp.begin();
  }

  endCatchUp(): void {
    this.#catchUp.end();
  }

  setConnection(update: ConnectionUpdate): void {
    this.#activity.setConnection(update.connected, update.source, update.reason ?? null, this.#clock());
    this.#emitTrayModel();
  }

  forgetConnection(source: string): void {
    this.#activity.forgetConnection(source);
    this.#emitTrayModel();
  }

  mute(pattern: string): void {
    this.#settings.mute(pattern);
  }

  unmute(pattern: string): void {
    this.#settings.unmute(pattern);
  }

  pauseUntil(epochMs: number): void {
    this.#settings.pauseUntil(epochMs);
  }

  resume(): void {
    this.#settings.resume();
  }

  updateSettings(settings: Settings): void {
    this.#settings.replace(settings);
  }

  settings(): Settings {
    return this.#settings.current;
  }

  onSettingsChange(listener: (settings: Settings) => void): () => void {
    return this.#settings.onChange(listener);
  }

  trayModel(): TrayModel {
    const now = this.#clock();
    const { tray } = this.#settings.current;
    return buildTrayModel({
      builds: this.#tracker.builds(),
      branchOutcomes: this.#tracker.branchOutcomes(),
      events: this.#activity.events,
      repositories: this.#activity.repositories,
      visibility: this.#settings.visibilityRules(),
      connections: this.#activity.connections,
      pausedUntil: this.#settings.pausedUntilAt(now),
      quietHours: this.#settings.isQuietHoursAt(now),
      canAct: (build) => this.#actions?.canAct?.(build) ?? this.#actions !== undefined,
      onIt: (key) => this.#onIt.onIt(key),
      limits: { builds: tray.recentBuilds, events: tray.recentEvents },
    });
  }

  onTrayModelChange(listener: (model: TrayModel) => void): () => void {
    return this.#trayListeners.add(listener);
  }

  async activate(key: string, action: NotificationActionId): Promise<void> {
    if (action === 'acknowledge' || action === 'withdraw') return this.acknowledge(buildKeyOfNotification(key) ?? key, action === 'acknowledge');
    const outcome = await runActivation(
      {
        opener: this.#opener,
        actions: this.#actions,
        logger: this.#logger,
        findBuild: (buildKey) => this.#tracker.get(buildKey),
        shownUrl: (notificationKey) => this.#pipeline.shownUrl(notificationKey),
      },
      key,
      action,
    );
    if (this.#closed) return;
    this.#report(outcome);
  }

  /** What a click did, or why it failed: a line in the tray's events, and a notification for a failure. */
  #report(outcome: ActivationOutcome | null): void {
    if (!outcome) return;
    this.#activity.record({ at: this.#clock(), text: outcome.text, kind: outcome.kind, buildKey: outcome.buildKey, url: outcome.url });
    if (outcome.notification) this.#pipeline.show(outcome.notification);
    this.#emitTrayModel();
  }

  close(): void {
    this.#closed = true;
    this.#details?.close();
    this.#catchUp.stop();
    this.#settings.close();
    this.#flushTimer.stop();
    this.#trayListeners.clear();
  }

  /** An answer about a failure: the build's notification and tray entry say it, when it still fails and is in view. */
  #explainFailure(buildKey: string, failure: TaskFailure): void {
    if (this.#closed) return;
    const build = this.#tracker.attachFailure(buildKey, failure);
    if (!build) return;
    this.#refreshNotification(build);
    this.#emitTrayModel();
  }

  /**
   * The build's failure notification, if still out, says what is known now (why it failed, who is
   * on it), replaced in place: not one the user switched off since, nor during a catch-up (old news).
   */
  #refreshNotification(build: TrackedBuild | undefined): void {
    if (!build || !this.#isVisible(build)) return;
    if (this.#pipeline.explainsFailure(build) && this.#settings.bannerDecision(this.#clock()) === 'allowed') {
      this.#pipeline.update(build, build.updatedAt);
    }
  }

  #isVisible(build: TrackedBuild): boolean {
    return buildVisibility(build, this.#settings.visibilityRules()) === 'visible';
  }

  #emitTrayModel(): void {
    // Building the model walks every build: skip it when nobody listens.
    if (this.#trayListeners.isEmpty) return;
    this.#trayListeners.emit(this.trayModel());
  }
}
