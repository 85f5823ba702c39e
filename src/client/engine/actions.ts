/**
 * What a click does: on a notification (or on a tray menu item, which uses the same keys) open
 * the page, approve the build or re-run its failed tasks. A failure is never swallowed: it is
 * logged, listed in the tray's events, and shown as a notification saying why (the user just
 * clicked, so they are there to read it), e.g. that the token lacks WRITE permission. Its text
 * quotes the build and the server's error message, so it is cleaned (`displayLine`) before it
 * becomes a tray event and a notification.
 */
import type { TrackedBuild } from '../../core/engine/buildTracker.js';
import { bestUrl, buildKeyOfNotification, buildPlace } from '../../core/engine/notificationContent.js';
import type { BuildActionsPort, Logger, NotificationActionId, NotificationIntent, OpenerPort } from '../../core/ports.js';
import { displayLine } from '../../core/text/displayText.js';

export interface ActivationOutcome {
  readonly kind: 'action' | 'error';
  readonly text: string;
  readonly buildKey: string | null;
  readonly url: string | null;
  /** Shown for errors, so the click gets an answer. */
  readonly notification: NotificationIntent | null;
}

export interface ActivationContext {
  readonly opener: OpenerPort;
  readonly actions: BuildActionsPort | undefined;
  readonly logger: Logger;
  /** A build by its key (`cirrus:42`). */
  findBuild(buildKey: string): TrackedBuild | undefined;
  /** The url of the notification last shown with this key, if any (summaries live only here). */
  shownUrl(notificationKey: string): string | undefined;
}

const VERBS = {
  approve: { doing: 'approve', done: 'Approved' },
  rerun: { doing: 're-run the failed tasks of', done: 'Re-ran the failed tasks of' },
} as const;

/**
 * Carries out a click. `key` is a notification key (`build:cirrus:42`, `summary:burst`) or a
 * build key (`cirrus:42`) from the tray. Resolves with what happened; never rejects.
 */
export async function runActivation(
  context: ActivationContext,
  key: string,
  // "I'm on it" and its withdrawal are the engine's own (acknowledging.ts): they need no CI's API.
  action: Exclude<NotificationActionId, 'acknowledge' | 'withdraw'>,
): Promise<ActivationOutcome | null> {
  const buildKey = buildKeyOfNotification(key) ?? (context.findBuild(key) ? key : undefined);
  const build = buildKey === undefined ? undefined : context.findBuild(buildKey);

  if (action === 'open') {
    const url = context.shownUrl(key) ?? (build ? bestUrl(build) : undefined);
    if (url === undefined) return failure(context, `Nothing to open for ${key}: the build is no longer known`, null, null);
    try {
      await context.opener(url);
      return null;
    } catch (error) {
      return failure(context, `Could not open ${url}: ${messageOf(error)}`, buildKey ?? null, url);
    }
  }

  const verbs = VERBS[action];
  if (!build) return failure(context, `Cannot ${verbs.doing} ${key}: the build is no longer known`, null, null);
  const place = `${buildPlace(build)} (build ${build.id})`;
  if (!context.actions) {
    return failure(
      context,
      `Cannot ${verbs.doing} ${place}: no API token with WRITE permission is configured`,
      build.key,
      build.url,
    );
  }
  try {
    const ref = { provider: build.provider, repository: build.repository, id: build.id, url: build.url };
    if (action === 'approve') await context.actions.approve(ref);
    else await context.actions.rerunFailedTasks(ref);
  } catch (error) {
    return failure(context, `Could not ${verbs.doing} ${place}: ${messageOf(error)}`, build.key, build.url);
  }
  const text = displayLine(`${verbs.done} ${place}`, MAX_TEXT);
  context.logger.info(text, { build: build.key });
  return { kind: 'action', text, buildKey: build.key, url: build.url, notification: null };
}

/** Room for our sentence and a server's message; the notification shows less anyway. */
const MAX_TEXT = 500;

/** A failed click as an outcome: logged, and a notification saying why when there is a page to open. */
export function failure(context: Pick<ActivationContext, 'logger'>, raw: string, buildKey: string | null, url: string | null): ActivationOutcome {
  const text = displayLine(raw, MAX_TEXT);
  context.logger.error(text, { build: buildKey });
  const [title, ...rest] = text.split(': ');
  return {
    kind: 'error',
    text,
    buildKey,
    url,
    notification: url
      ? { key: `action:${buildKey ?? url}`, title: title!, body: rest.join(': '), url, urgency: 'normal', actions: [] }
      : null,
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
