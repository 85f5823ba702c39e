/** The command line's Logger: one line per message on stderr, `key=value` fields after it. */
import type { Logger } from '../core/ports.js';

export function createStderrLogger(stream: NodeJS.WritableStream = process.stderr, clock: () => Date = () => new Date()): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const rendered = fields
      ? Object.entries(fields).map(([key, value]) => ` ${key}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`).join('')
      : '';
    stream.write(`${clock().toISOString()} ${level} ${message}${rendered}\n`);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
