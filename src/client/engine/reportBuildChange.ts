/**
 * What a change to a build means for the user, once the tracker has folded the event in:
 * nothing while the build is out of view (muted, another branch, not mine); for a transition, a
 * line in the tray's events and, if that kind is switched on and banners are allowed now, a
 * notification; for task news alone, an update of the notification already out.
 */
import type { TrackResult } from '../../core/engine/buildTracker.js';
import { buildVisibility } from '../../core/engine/filters.js';
import { bestUrl, buildPlace, transitionWords } from '../../core/engine/notificationContent.js';
import { detectTransition } from '../../core/engine/transition.js';
import type { Logger } from '../../core/ports.js';
import type { EngineSettings } from './liveSettings.js';
import type { NotificationPipeline } from './notificationPipeline.js';
import type { TrayActivity } from './trayActivity.js';

export interface BuildChangeContext {
  readonly settings: EngineSettings;
  readonly pipeline: NotificationPipeline;
  readonly activity: TrayActivity;
  readonly logger: Logger;
}

/** What `BuildTracker.apply` returns for an event that was not a duplicate. */
export type BuildChange = Extract<TrackResult, { kind: 'applied' }>;

/**
 * `receivedAt` is when the event arrived (the time the user sees); `now` is the clock, which
 * decides pauses and quiet hours.
 */
export function reportBuildChange(context: BuildChangeContext, change: BuildChange, receivedAt: number, now: number): void {
  const { settings, pipeline } = context;
  const build = change.after;
  if (buildVisibility(build, settings.visibilityRules()) !== 'visible') return;
  // A re-run began: the notification out describes the earlier attempt; the new one's news comes as transitions.
  if (change.newAttempt) pipeline.forget(build);
  const transition = change.stateChanged
    ? detectTransition(change.before?.state, build.state, change.branchBefore)
    : null;
  if (!transition) {
    if (change.tasksChanged && !change.newAttempt && settings.bannerDecision(now) === 'allowed') pipeline.update(build, receivedAt);
    return;
  }
  context.activity.record({
    at: receivedAt,
    text: `${buildPlace(build)} ${transitionWords(transition)}`,
    kind: 'build',
    buildKey: build.key,
    url: bestUrl(build),
  });
  // Switched off: the build's earlier notification must not be updated with news the user did not ask for.
  if (!settings.wantsNotification(transition)) return pipeline.forget(build);
  const decision = settings.bannerDecision(now);
  if (decision !== 'allowed') {
    context.logger.info('banner held back', { build: build.key, transition, reason: decision });
    return;
  }
  pipeline.notify(build, transition, receivedAt);
}
