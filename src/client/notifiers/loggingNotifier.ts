/**
 * NotifierPort for a machine with no desktop (a server, a container, CI): each notification is
 * written through the logger, so `buildbell watch` still shows every build change in its terminal.
 */
import type { Logger, NotificationActionId, NotifierPort } from '../../core/ports.js';
import { displayLine, displayLines } from '../../core/text/displayText.js';

/**
 * Creates a notifier that logs each intent as one line: the title, the body's lines after it (all of them: a failure's last lines are its log's), and
 * the URL a click would open. The texts come from payloads, so they are cleaned for a terminal.
 */
export function createLoggingNotifier(logger: Logger): NotifierPort {
  return {
    async show(intent) {
      const body = displayLines(intent.body, 8).join(' · ');
      logger.info(`${displayLine(intent.title)}${body ? ` · ${body}` : ''}`, { url: displayLine(intent.url) });
    },
    onActivate(_listener: (key: string, action: NotificationActionId) => void) {
      // Nothing on screen to click.
    },
    async close() {},
  };
}
