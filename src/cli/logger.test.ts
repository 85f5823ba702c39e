import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createStderrLogger, redact } from './logger.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { logger: createStderrLogger(stream, () => new Date(0)), text: () => text };
}

const TOKEN = 'bb_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg';
const DIGEST = 'a'.repeat(24) + '0123456789abcdef0123456789abcdef01234567';

describe('the CLI logger', () => {
  it('never writes a credential, whether it comes as a field or inside a message', () => {
    const { logger, text } = capture();
    logger.warn(`refused Authorization: Bearer ${TOKEN}`, {
      authorization: `Bearer ${TOKEN}`,
      'x-cirrus-signature': DIGEST,
      'x-hub-signature-256': `sha256=${DIGEST}`,
      detail: `header was ${TOKEN} and sha256=${DIGEST}`,
      secret: 'a-channel-secret-for-tests',
      token: 'tok_0123456789ab',
    });
    const out = text();
    expect(out).not.toContain(TOKEN.slice(3));
    expect(out).not.toContain(DIGEST);
    expect(out).not.toContain('a-channel-secret-for-tests');
    expect(out).toContain('Bearer [redacted]');
    // A token id names a token without being one: operators need it to revoke.
    expect(out).toContain('token="tok_0123456789ab"');
  });

  it('leaves ordinary text alone', () => {
    expect(redact('pruned events past retention removed=12 seq=9007199254740993')).toBe('pruned events past retention removed=12 seq=9007199254740993');
  });

  it('writes one JSON object a line when asked, with the same redaction', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const logger = createStderrLogger(stream, () => new Date(0), 'json');
    logger.error(`cannot reach postgres://buildbell:hunter2@db:5432/relay with Bearer ${TOKEN}`, { secret: 'a-channel-secret-for-tests', count: 3, level: 'forged', line: 'two\nlines' });
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '1970-01-01T00:00:00.000Z', level: 'error',
      message: 'cannot reach postgres://buildbell:[redacted]@db:5432/relay with Bearer [redacted]',
      secret: '[redacted]', count: 3, line: 'two\nlines',
    });
  });
});

describe('createStderrLogger on a terminal', () => {
  it('writes no control, C1 or bidi character from a message or a value, in text or JSON', () => {
    for (const format of ['text', 'json'] as const) {
      let text = '';
      const logger = createStderrLogger({ write: (chunk: string) => (text += chunk) }, () => new Date(0), format);
      logger.info('title \x1b]0;owned\x07 \u009b31m \u202eniam', { task: 'lint\x1b]52;c;eA==\x07\u2066', count: 1 });
      // eslint-disable-next-line no-control-regex
      expect(text.replace(/\n$/, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
  });
});
