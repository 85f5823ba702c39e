/**
 * NotifierPort for macOS (Notification Center, through terminal-notifier) and Windows (toasts,
 * through SnoreToast), both by way of node-notifier. Buttons are not offered: neither helper
 * reports which button was pressed in a form node-notifier passes on reliably, and a button that
 * does nothing is worse than none. A click on the notification itself is reported as `open`.
 */
import type { Logger, NotificationActionId, NotificationIntent, NotifierPort } from '../../core/ports.js';
import { displayIntent } from '../../core/text/displayIntent.js';
import { displayLine } from '../../core/text/displayText.js';

/** node-notifier's callback: `response` is `activate` when the user clicked the notification. */
export type NodeNotifierCallback = (error: Error | null, response: string) => void;

/** The one method of a node-notifier instance this adapter uses. */
export interface NodeNotifierBackend {
  notify(options: Record<string, unknown>, callback: NodeNotifierCallback): unknown;
}

export interface NodeNotifierOptions {
  readonly platform: 'darwin' | 'win32';
  readonly logger: Logger;
  /**
   * The node-notifier instance. Default: node-notifier's NotificationCenter (darwin) or
   * WindowsToaster (win32), loaded on first `show` so importing this module neither loads
   * node-notifier nor touches the system.
   */
  readonly backend?: NodeNotifierBackend;
}

/**
 * How long macOS keeps terminal-notifier waiting for a click, in seconds. node-notifier's own
 * default (10 s) would stop reporting clicks on a notification the user reads a little later.
 */
const MAC_WAIT_SECONDS = 60;

/**
 * The options node-notifier gets for one intent on this platform, its text cleaned: both helpers
 * take it as program arguments, where a NUL makes the spawn fail and the notification is lost.
 */
export function nodeNotifierOptions(raw: NotificationIntent, platform: 'darwin' | 'win32'): Record<string, unknown> {
  const intent = displayIntent(raw);
  const common = { title: intent.title, message: intent.body, wait: true };
  if (platform === 'darwin') {
    // terminal-notifier replaces an earlier notification of the same group. The key holds the
    // provider's build id, an argument like the rest: cleaned the same way each time, it still groups.
    return { ...common, group: displayLine(intent.key), timeout: MAC_WAIT_SECONDS, sound: intent.urgency === 'critical' };
  }
  return { ...common, appID: 'buildbell' };
}

/** Creates the macOS / Windows notifier. */
export function createNodeNotifier(options: NodeNotifierOptions): NotifierPort {
  const { platform, logger } = options;
  const listeners: ((key: string, action: NotificationActionId) => void)[] = [];
  let backend: Promise<NodeNotifierBackend> | undefined = options.backend && Promise.resolve(options.backend);

  return {
    async show(intent) {
      try {
        backend ??= loadBackend(platform);
        const notifier = await backend;
        notifier.notify(nodeNotifierOptions(intent, platform), (error, response) => {
          if (error) {
            logger.error('node-notifier failed', { key: intent.key, error: error.message });
            return;
          }
          if (response !== 'activate') return;
          for (const listener of listeners) {
            try {
              listener(intent.key, 'open');
            } catch (listenerError) {
              logger.error('notification click handler failed', { key: intent.key, error: String(listenerError) });
            }
          }
        });
      } catch (error) {
        logger.error('could not show notification', { key: intent.key, error: error instanceof Error ? error.message : String(error) });
      }
    },
    onActivate(listener) {
      listeners.push(listener);
    },
    async close() {
      // node-notifier keeps no connection; a waiting helper process ends on its own timeout.
    },
  };
}

async function loadBackend(platform: 'darwin' | 'win32'): Promise<NodeNotifierBackend> {
  const { default: nodeNotifier } = await import('node-notifier');
  // withFallback: false, so an old system fails visibly in the log instead of silently trying Growl.
  const backend =
    platform === 'darwin'
      ? new nodeNotifier.NotificationCenter({ withFallback: false })
      : new nodeNotifier.WindowsToaster({ withFallback: false });
  return backend as unknown as NodeNotifierBackend;
}
