/** Which build a click on the tray icon itself opens: the one the icon's colour is about. */
import type { BuildState } from '../../core/event.js';
import type { TrayBuild, TrayModel } from '../../core/engine/trayModel.js';

/** Lower is more urgent: what failed, then what waits for someone, then what runs. */
const URGENCY: Readonly<Record<BuildState, number>> = {
  failed: 0,
  errored: 0,
  needs_approval: 1,
  running: 2,
  queued: 2,
  passed: 3,
  aborted: 3,
};

/** The newest of the most urgent recent builds (muted and filtered ones are not in the model); null when there are none. */
export function mostRelevantBuild(model: TrayModel): TrayBuild | null {
  let best: TrayBuild | null = null;
  // recentBuilds is newest first, so only a strictly more urgent build replaces the one held.
  for (const build of model.recentBuilds) if (best === null || URGENCY[build.state] < URGENCY[best.state]) best = build;
  return best;
}
