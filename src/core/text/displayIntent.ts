/**
 * The last guard before a notification leaves the process: every text of an intent cleaned with
 * {@link displayLine}. The engine already builds intents from cleaned parts; each OS notifier
 * calls this again because a notifier must never lose a notification to a bad string, whoever
 * built the intent: D-Bus cannot carry a NUL (dbus-next refuses the call), and neither can a
 * program argument (notify-send, terminal-notifier and SnoreToast get the text that way). Cleaning clean text changes nothing, so the second pass costs only time.
 */
import type { NotificationIntent } from '../ports.js';
import { displayLine } from './displayText.js';

/** Longest title a notification server is given; servers cut far shorter anyway. */
const MAX_TITLE = 200;
/** Longest body line, and how many lines a body keeps (a build's body has at most three). */
const MAX_BODY_LINE = 300;
const MAX_BODY_LINES = 8;
const MAX_ACTION_LABEL = 64;
/** A title cleaned to nothing would leave a banner with no headline: say at least whose it is. */
const EMPTY_TITLE = 'buildbell';

/**
 * The intent with its title, each body line and each button label cleaned for display: no
 * control, escape or bidi character, and no lone surrogate. Body lines stay lines (the body is
 * the one multi-line text); empty ones are dropped. Key, url, urgency and action ids are left as
 * they are: they are identities, not text a person reads.
 */
export function displayIntent(intent: NotificationIntent): NotificationIntent {
  const body = intent.body
    .split(/\r\n?|\n/)
    .map((line) => displayLine(line, MAX_BODY_LINE))
    .filter((line) => line !== '')
    .slice(0, MAX_BODY_LINES)
    .join('\n');
  return {
    ...intent,
    title: displayLine(intent.title, MAX_TITLE) || EMPTY_TITLE,
    body,
    actions: intent.actions.map((action) => ({ ...action, label: displayLine(action.label, MAX_ACTION_LABEL) || action.id })),
  };
}
