/**
 * "I'm on it" as the engine carries it out (issue #17). The user's word goes to the relay through
 * the `AcknowledgePort` when a connected relay carries the build's repository; the relay stores
 * it and streams it to every desktop, this one included, whose echo (`own`) is what puts it in
 * the book. Without such a relay (polling only, or the relay is down) the word stays on this
 * desktop: it is put in the book at once, as the user's, kept apart from every relay's names (`local`).
 *
 * A failure is never swallowed: it becomes an error outcome (a line in the tray's events and a
 * notification saying why), as a failed approve or re-run does.
 */
import type { AcknowledgementBook } from '../../core/engine/acknowledgementBook.js';
import type { TrackedBuild } from '../../core/engine/buildTracker.js';
import { buildPlace } from '../../core/engine/notificationContent.js';
import { acknowledgementWords } from '../../core/engine/trayText.js';
import type { AcknowledgePort, Clock, Logger } from '../../core/ports.js';
import { displayLine } from '../../core/text/displayText.js';
import { failure, messageOf, type ActivationOutcome } from './actions.js';

/** The name the user's word held on this desktop goes by; never shown (an own word reads "You"). */
const LOCAL_NAME = 'you';

export interface AcknowledgeContext {
  readonly port: AcknowledgePort | undefined;
  readonly book: AcknowledgementBook;
  readonly clock: Clock;
  readonly logger: Logger;
  findBuild(buildKey: string): TrackedBuild | undefined;
}

/**
 * Says "I'm on it" (`active`) or takes it back. Resolves with what the tray and the notification
 * must show: an error, the local word (`changed`: the book changed here), or nothing (a shared
 * word shows when the relay's echo arrives). Never rejects.
 */
export async function runAcknowledge(
  context: AcknowledgeContext,
  buildKey: string,
  active: boolean,
): Promise<{ readonly outcome: ActivationOutcome | null; readonly changed: TrackedBuild | null }> {
  const doing = active ? 'say you are on' : 'take back that you are on';
  const build = context.findBuild(buildKey);
  if (!build) return { outcome: failure(context, `Cannot ${doing} ${buildKey}: the build is no longer known`, null, null), changed: null };
  const place = `${buildPlace(build)} (build ${displayLine(build.id, 100)})`;
  const ref = { provider: build.provider, repository: build.repository, id: build.id, url: build.url };
  if (context.port?.canShare(ref)) {
    try {
      await context.port.acknowledge(ref, active);
    } catch (error) {
      return { outcome: failure(context, `Could not ${doing} ${place}: ${messageOf(error)}`, build.key, build.url), changed: null };
    }
    // The echo has put the shared word in the book (replacing one held here: one user, one word); a
    // withdrawal takes back one held here from before a relay carried the build as well.
    const changed = !active && context.book.forgetLocal(build.key);
    return { outcome: null, changed: changed ? build : null };
  }
  if (active) {
    context.book.record({
      provider: build.provider,
      repositoryId: build.repository.id,
      buildId: build.id,
      branch: build.branch,
      by: LOCAL_NAME,
      active: true,
      at: context.clock(),
      own: true,
      local: true,
    });
  } else if (!context.book.forgetLocal(build.key) && context.book.isOwnActive(build.key)) {
    // The word went through a relay, which is not there now to take it back: the others still see it.
    return { outcome: failure(context, `Could not ${doing} ${place}: no connected relay carries it`, build.key, build.url), changed: null };
  }
  const text = `${acknowledgementWords({ name: LOCAL_NAME, own: true }, active)}: ${place} (on this desktop only: no relay carries it)`;
  context.logger.info(text, { build: build.key });
  return { outcome: { kind: 'action', text, buildKey: build.key, url: build.url, notification: null }, changed: build };
}
