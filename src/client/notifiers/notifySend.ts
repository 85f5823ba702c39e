/**
 * NotifierPort that runs libnotify's `notify-send`, for when buildbell's own D-Bus client cannot
 * reach the notification server (no `DBUS_SESSION_BUS_ADDRESS`, an address form or authentication
 * dbus-next does not handle) but libnotify, which finds the bus its own ways, still can.
 *
 * It cannot report clicks: notify-send hears `ActionInvoked` only while it blocks with `--wait`,
 * one process per notification for as long as the notification lives. Rather than keep such
 * processes around, this notifier fires and forgets, so `onActivate` listeners never fire; the
 * notification still tells the user, and `watch` prints the build URL beside it.
 */
import { execFile } from 'node:child_process';
import type { Logger, NotificationActionId, NotificationIntent, NotifierPort } from '../../core/ports.js';
import { displayIntent } from '../../core/text/displayIntent.js';
import { APP_NAME, DESKTOP_ENTRY, NOTIFICATION_CATEGORY, escapeMarkup } from './freedesktopFormat.js';

/** Runs a program with an argument vector (never a shell) and resolves with its stdout. */
export type RunFile = (file: string, args: readonly string[]) => Promise<string>;

export interface NotifySendOptions {
  readonly logger: Logger;
  /** The notify-send executable. Default `notify-send` (looked up on PATH). */
  readonly command?: string;
  /** Runs the command; tests pass a fake. Default `execFile` with a 10 s timeout. */
  readonly run?: RunFile;
}

/**
 * The argument vector for one notification. The body is always escaped: notify-send cannot ask
 * the server whether it parses markup, and the servers people run (dunst, GNOME, Plasma, xfce)
 * all do. `--` ends the options so a title starting with `-` is not read as one. The text is
 * cleaned first (a NUL cannot even be passed in an argument vector: the spawn would fail and the
 * notification be lost), then escaped.
 */
export function notifySendArgs(raw: NotificationIntent, replaceId: number | undefined): string[] {
  const intent = displayIntent(raw);
  const args = [
    `--app-name=${APP_NAME}`,
    `--urgency=${intent.urgency}`,
    `--category=${NOTIFICATION_CATEGORY}`,
    `--hint=string:desktop-entry:${DESKTOP_ENTRY}`,
    '--print-id',
  ];
  if (replaceId !== undefined) args.push(`--replace-id=${replaceId}`);
  args.push('--', intent.title, escapeMarkup(intent.body));
  return args;
}

/** Creates the notify-send notifier; nothing runs until the first `show`. */
export function createNotifySendNotifier(options: NotifySendOptions): NotifierPort {
  const { logger, command = 'notify-send', run = runFile } = options;
  // --print-id / --replace-id let a build's notification be replaced in place (libnotify 0.7.10+).
  const idsByKey = new Map<string, number>();
  let queue: Promise<void> = Promise.resolve();

  async function notify(intent: NotificationIntent): Promise<void> {
    try {
      const stdout = await run(command, notifySendArgs(intent, idsByKey.get(intent.key)));
      const id = Number.parseInt(stdout.trim(), 10);
      if (Number.isSafeInteger(id) && id > 0) idsByKey.set(intent.key, id);
    } catch (error) {
      logger.error('notify-send failed', { key: intent.key, error: error instanceof Error ? error.message : String(error) });
    }
  }

  return {
    show(intent) {
      queue = queue.then(() => notify(intent));
      return queue;
    },
    onActivate(_listener: (key: string, action: NotificationActionId) => void) {
      // Never called: see the module comment.
    },
    async close() {
      await queue;
    },
  };
}

function runFile(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000, windowsHide: true }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}
