/** The main process's logger: one line per message on stderr, fields as JSON. */
import type { Logger } from '../core/ports.js';

export function createConsoleLogger(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    write(`buildbell ${level}: ${message}${fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
