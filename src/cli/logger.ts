/**
 * The command line's Logger: one line per message on stderr, `key=value` fields after it, or
 * (`json`) one JSON object per line for a log collector. Credentials are redacted either way.
 */
import type { Logger } from '../core/ports.js';
import { displayLine } from '../core/text/displayText.js';
import { terminalSafeJson } from './terminalJson.js';

/** Fields whose value is a credential whatever it looks like. */
const SECRET_KEYS = /authorization|signature|secret|password|cookie/i;
/** Credentials inside any text: bearer tokens, relay tokens, and HMAC digests as providers send them. */
const SECRET_TEXT: ReadonlyArray<[RegExp, string]> = [
  [/(Bearer|Basic)\s+[^\s"',]+/gi, '$1 [redacted]'],
  [/bb_[A-Za-z0-9_-]{8,}/g, 'bb_[redacted]'],
  [/(sha256=)?\b[0-9a-fA-F]{64}\b/g, '[redacted-digest]'],
  // The password in a database URL (postgres://user:password@host/db).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, '$1[redacted]@'],
];

/** What may be written to a log: the same text with every credential replaced. */
export function redact(text: string): string {
  return SECRET_TEXT.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

export type LogFormat = 'text' | 'json';

/** Where log lines go: a stream, or `watch`'s terminal view. */
export interface LineSink {
  write(text: string): unknown;
}

/**
 * A logger writing one line per message. Messages and values often carry text from a payload or
 * a server (an error message, a title): each is redacted; in text form also cleaned by
 * `displayLine`, so the terminal never receives a control character or escape sequence from them
 * (in JSON form, every control, C1 and bidi character is a `\\uXXXX` escape: the same value, inert).
 */
export function createStderrLogger(stream: LineSink = process.stderr, clock: () => Date = () => new Date(), format: LogFormat = 'text'): Logger {
  const clean = (text: string) => displayLine(redact(text), 2000);
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (format === 'json') {
      const record: Record<string, unknown> = { time: clock().toISOString(), level, message: redact(message) };
      for (const [key, value] of Object.entries(fields ?? {})) {
        if (key in record) continue; // a field never overwrites the time, level or message
        record[key] = SECRET_KEYS.test(key) ? '[redacted]' : typeof value === 'string' ? redact(value) : typeof value === 'number' || typeof value === 'boolean' || value === null ? value : redact(String(value));
      }
      stream.write(`${terminalSafeJson(record)}\n`);
      return;
    }
    const rendered = fields
      ? Object.entries(fields).map(([key, value]) => ` ${key}=${SECRET_KEYS.test(key) ? '"[redacted]"' : typeof value === 'string' ? JSON.stringify(clean(value)) : clean(String(value))}`).join('')
      : '';
    stream.write(`${clock().toISOString()} ${level} ${clean(message)}${rendered}\n`);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
