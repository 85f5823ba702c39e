/**
 * The pure half of the freedesktop notifier: how a {@link NotificationIntent} becomes the
 * arguments of `org.freedesktop.Notifications.Notify`, and how the server's action keys come back
 * as {@link NotificationActionId}s. Kept apart from the D-Bus adapter so it is tested without a bus.
 *
 * Spec: https://specifications.freedesktop.org/notification-spec/latest/
 */
import type { NotificationActionId, NotificationIntent } from '../../core/ports.js';

/**
 * The action key the spec reserves for a click on the notification body. Servers invoke it
 * without showing a button for it, so a plain click opens the build.
 */
export const DEFAULT_ACTION_KEY = 'default';

/** Label of the default action; most servers never show it, some list it in a context menu. */
const DEFAULT_ACTION_LABEL = 'Open build';

/** Notification urgency byte of the `urgency` hint (spec: 0 low, 1 normal, 2 critical). */
export function urgencyByte(urgency: NotificationIntent['urgency']): 0 | 1 | 2 {
  switch (urgency) {
    case 'low':
      return 0;
    case 'normal':
      return 1;
    case 'critical':
      return 2;
  }
}

/**
 * The flat `actions` array of `Notify` (`[key, label, key, label, ...]`). The default action is
 * always first; buttons follow only when the server advertises the `actions` capability, since
 * a server without it would drop them anyway and some render the keys as text.
 */
export function actionList(intent: NotificationIntent, serverHasActions: boolean): string[] {
  const flat = [DEFAULT_ACTION_KEY, DEFAULT_ACTION_LABEL];
  if (serverHasActions) {
    for (const action of intent.actions) flat.push(action.id, action.label);
  }
  return flat;
}

/**
 * Maps an `ActionInvoked` key back to what the user asked for; `undefined` for a key this
 * notifier never sent (the signal is broadcast, and servers may invent keys of their own).
 */
export function actionIdForKey(actionKey: string): NotificationActionId | undefined {
  switch (actionKey) {
    case DEFAULT_ACTION_KEY:
      return 'open';
    case 'approve':
      return 'approve';
    case 'rerun':
      return 'rerun';
    case 'acknowledge':
      return 'acknowledge';
    case 'withdraw':
      return 'withdraw';
    default:
      return undefined;
  }
}

/**
 * Escapes text for a server with `body-markup`: such a server parses the body as a subset of
 * XML, so a branch named `fix/<b>` or a title with `&` would be rendered as markup (or rejected)
 * instead of shown as written. Quotes matter only inside attributes, which plain text never opens.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The body to send: escaped when the server would interpret markup, verbatim otherwise (a server
 * without `body-markup` shows text as is, and would show `&amp;` literally).
 */
export function bodyFor(intent: NotificationIntent, serverHasBodyMarkup: boolean): string {
  return serverHasBodyMarkup ? escapeMarkup(intent.body) : intent.body;
}

/**
 * The `category` hint. The spec has no category for CI builds, and asks vendors to prefix their
 * own with `x-vendor.`; servers use it for per-category rules (e.g. a dunst rule on `category`).
 */
export const NOTIFICATION_CATEGORY = 'x-buildbell.build';

/** The `desktop-entry` hint: the basename of the app's .desktop file, used by servers for icon and grouping. */
export const DESKTOP_ENTRY = 'buildbell';

/** The `app_name` argument of `Notify`. */
export const APP_NAME = 'buildbell';
