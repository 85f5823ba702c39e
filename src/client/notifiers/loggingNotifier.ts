/**
 * NotifierPort for a machine with no desktop (a server, a container, CI): each notification is
 * written through the logger, so `buildbell watch` still shows every build change in its terminal.
 */
import type { Logger, NotificationActionId, NotifierPort } from '../../core/ports.js';

/** Creates a notifier that logs each intent (title, body and the URL a click would open). */
export function createLoggingNotifier(logger: Logger): NotifierPort {
  return {
    async show(intent) {
      logger.info(intent.title, { body: intent.body, url: intent.url, urgency: intent.urgency });
    },
    onActivate(_listener: (key: string, action: NotificationActionId) => void) {
      // Nothing on screen to click.
    },
    async close() {},
  };
}
