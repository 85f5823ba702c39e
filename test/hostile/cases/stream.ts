/** Hostile WebSocket traffic: upgrades with bad tokens or cursors, frames a client must not send (acknowledge frames too), floods from one address. */
import type { HostileCase } from '../corpus.js';

const upgrade = (id: string, description: string, status: number, authorization: string | string[] | null, path = '/stream?after=0'): HostileCase => ({
  id: `upgrade-${id}`,
  category: 'WebSocket upgrades with bad tokens',
  description,
  kind: 'upgrade',
  path,
  headers: (authorization === null ? [] : [authorization].flat()).map((value) => ['Authorization', value] as const),
  expect: { status },
});

function upgrades(): HostileCase[] {
  return [
    upgrade('valid', 'a valid token (the control case)', 101, 'Bearer {{token}}'),
    upgrade('lowercase-scheme', 'a valid token after "bearer" in lower case', 101, 'bearer {{token}}'),
    upgrade('other-channel-token', 'a valid token of another channel: accepted, it sees only its own channel', 101, 'Bearer {{otherToken}}'),
    upgrade('dot-segments', 'a valid token on /x/../stream', 101, 'Bearer {{token}}', '/x/../stream?after=0'),
    upgrade('none', 'no Authorization header', 401, null),
    upgrade('scheme-only', '"Bearer" and nothing else', 401, 'Bearer'),
    upgrade('empty-token', '"Bearer " and an empty token', 401, 'Bearer '),
    upgrade('wrong', 'a well-formed token the relay never issued', 401, 'Bearer bb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
    upgrade('no-prefix', 'a valid token without its bb_ prefix', 401, 'Bearer {{tokenWithoutPrefix}}'),
    upgrade('extended', 'a valid token with one more character', 401, 'Bearer {{token}}x'),
    upgrade('truncated', 'a valid token minus its last character', 401, 'Bearer {{tokenTruncated}}'),
    upgrade('revoked', 'a revoked token', 401, 'Bearer {{revokedToken}}'),
    upgrade('basic', 'HTTP Basic credentials', 401, 'Basic dXNlcjpwYXNz'),
    upgrade('token-as-scheme', 'the token without "Bearer"', 401, '{{token}}'),
    upgrade('two-tokens', 'two tokens in one header', 401, 'Bearer {{token}} {{token}}'),
    upgrade('4KB', 'a 4 KB token', 401, `Bearer bb_${'A'.repeat(4096)}`),
    upgrade('32KB', 'a 32 KB token (over the header limit)', 431, `Bearer bb_${'A'.repeat(32 * 1024)}`),
    upgrade('duplicate-header-bad-first', 'a wrong Authorization, then a valid one (HTTP keeps the first)', 401, ['Bearer bb_wrongwrongwrongwrong', 'Bearer {{token}}']),
    upgrade('token-in-query', 'the token in the query string instead of the header', 401, null, '/stream?after=0&token={{token}}'),
    upgrade('sql-ish', 'a token that looks like SQL', 401, "Bearer bb_' OR '1'='1"),
    upgrade('after-negative', 'after=-1', 400, 'Bearer {{token}}', '/stream?after=-1'),
    upgrade('after-word', 'after=abc', 400, 'Bearer {{token}}', '/stream?after=abc'),
    upgrade('after-exponent', 'after=1e3', 400, 'Bearer {{token}}', '/stream?after=1e3'),
    upgrade('after-17-digits', 'after with 17 digits', 400, 'Bearer {{token}}', '/stream?after=12345678901234567'),
    upgrade('after-empty', 'after= (empty)', 400, 'Bearer {{token}}', '/stream?after='),
    upgrade('batch', 'a valid token asking for batch frames (batch=1)', 101, 'Bearer {{token}}', '/stream?after=0&batch=1'),
    upgrade('batch-word', 'batch=yes: only "1" asks for batches, anything else is ignored', 101, 'Bearer {{token}}', '/stream?after=0&batch=yes'),
    upgrade('batch-long', 'a 4 KB batch value', 101, 'Bearer {{token}}', `/stream?after=0&batch=${'1'.repeat(4096)}`),
    upgrade('batch-after-word', 'batch=1 does not excuse a malformed cursor (after=abc)', 400, 'Bearer {{token}}', '/stream?after=abc&batch=1'),
    upgrade('wrong-path', 'an upgrade on /streams', 404, 'Bearer {{token}}', '/streams'),
    upgrade('hook-path', 'an upgrade on the webhook path', 404, 'Bearer {{token}}', '/hooks/acme'),
  ];
}

/** A client frame: FIN + opcode, masked unless told otherwise (RFC 6455 section 5.2). */
export function clientFrame(opcode: number, payload: Buffer, options: { fin?: boolean; masked?: boolean; rsv1?: boolean; declaredLength?: bigint } = {}): Buffer {
  const first = (options.fin === false ? 0 : 0x80) | (options.rsv1 ? 0x40 : 0) | opcode;
  const masked = options.masked !== false;
  const length = options.declaredLength ?? BigInt(payload.length);
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, (masked ? 0x80 : 0) | Number(length)]);
  else if (length < 65536n) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8((masked ? 0x80 : 0) | 126, 1);
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8((masked ? 0x80 : 0) | 127, 1);
    header.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

function frames(): HostileCase[] {
  const c = 'oversized and malformed frames from a client';
  const frame = (id: string, description: string, bytes: Buffer, closeCode: number | null): HostileCase => ({ id: `frame-${id}`, category: c, description, kind: 'frame', frame: bytes, expect: { closeCode } });
  return [
    frame('oversized-text', 'a 5,000-byte text message (the cap is 4 KiB)', clientFrame(0x1, Buffer.alloc(5000, 0x61)), 1009),
    frame('oversized-binary', 'a 64 KB binary message', clientFrame(0x2, Buffer.alloc(65536, 1)), 1009),
    frame('declared-1GB', 'a frame header declaring 1 GB, then nothing', clientFrame(0x2, Buffer.alloc(0), { declaredLength: 1n << 30n }), 1009),
    frame('declared-2^63', 'a frame header declaring 2^63 - 1 bytes', clientFrame(0x2, Buffer.alloc(0), { declaredLength: (1n << 63n) - 1n }), 1009),
    frame('unmasked', 'an unmasked text frame (clients must mask)', clientFrame(0x1, Buffer.from('hi'), { masked: false }), 1002),
    frame('reserved-opcode', 'reserved opcode 0x3', clientFrame(0x3, Buffer.from('hi')), 1002),
    frame('rsv1', 'RSV1 set with no extension agreed', clientFrame(0x1, Buffer.from('hi'), { rsv1: true }), 1002),
    frame('big-ping', 'a ping with 200 bytes (control frames carry at most 125)', clientFrame(0x9, Buffer.alloc(200, 1)), 1002),
    frame('fragmented-ping', 'a ping without FIN (control frames cannot be fragmented)', clientFrame(0x9, Buffer.from('x'), { fin: false }), 1002),
    frame('orphan-continuation', 'a continuation frame with nothing to continue', clientFrame(0x0, Buffer.from('x')), 1002),
    frame('invalid-utf8', 'a text frame that is not UTF-8', clientFrame(0x1, Buffer.from([0x66, 0xff, 0xfe])), 1007),
  ];
}

/**
 * Acknowledge frames a client must not get away with (issue #17): each is answered with an error
 * frame naming the problem, nothing is stored, and the stream stays open; too large, it is closed.
 */
function acknowledgeFrames(): HostileCase[] {
  const c = 'acknowledge frames a client must not get away with';
  const text = (json: string) => clientFrame(0x1, Buffer.from(json));
  const valid = { type: 'acknowledge', ref: 'r1', provider: 'cirrus', repository: 'acme/web', buildId: '1', active: true };
  const ack = (fields: Record<string, unknown>) => text(JSON.stringify({ ...valid, ...fields }));
  const refused = (id: string, description: string, bytes: Buffer, errorCode: string): HostileCase => ({
    id: `ack-${id}`, category: c, description, kind: 'frame', frame: bytes, expect: { closeCode: null, errorCode },
  });
  return [
    refused('small-text', 'a small text message of a type only the relay sends ("hello")', text('{"type":"hello"}'), 'invalid_frame'),
    refused('small-binary', 'a small binary message', clientFrame(0x2, Buffer.alloc(100, 7)), 'invalid_frame'),
    refused('binary-json', 'a valid acknowledge frame sent as a binary message', clientFrame(0x2, Buffer.from(JSON.stringify(valid))), 'invalid_frame'),
    refused('not-json', 'text that is not JSON', text('on it!'), 'invalid_frame'),
    refused('json-null', 'the JSON null', text('null'), 'invalid_frame'),
    refused('json-array', 'a JSON array of a valid frame', text(JSON.stringify([valid])), 'invalid_frame'),
    refused('json-string', 'a JSON string', text('"acknowledge"'), 'invalid_frame'),
    refused('unknown-type', 'a frame type the relay does not know ("subscribe")', text('{"type":"subscribe","repository":"*/*"}'), 'invalid_frame'),
    refused('type-number', 'a type that is a number', ack({ type: 1 }), 'invalid_frame'),
    refused('forged-by', 'an acknowledge frame naming who ("by": someone else)', ack({ by: 'The CEO' }), 'invalid_frame'),
    refused('forged-label', 'an acknowledge frame with a "label"', ack({ label: 'admin' }), 'invalid_frame'),
    refused('forged-branch', 'an acknowledge frame naming the branch', ack({ branch: 'main' }), 'invalid_frame'),
    refused('forged-at', 'an acknowledge frame naming the time', ack({ at: 0 }), 'invalid_frame'),
    refused('proto', 'an acknowledge frame with a "__proto__" field', text(JSON.stringify(valid).replace('{', '{"__proto__":{"polluted":true},')), 'invalid_frame'),
    refused('no-build', 'an acknowledge frame without a build id', ack({ buildId: undefined }), 'invalid_frame'),
    refused('empty-build', 'an empty build id', ack({ buildId: '' }), 'invalid_frame'),
    refused('numeric-build', 'a build id that is a number', ack({ buildId: 1 }), 'invalid_frame'),
    refused('long-build', 'a 201-character build id', ack({ buildId: '9'.repeat(201) }), 'invalid_frame'),
    refused('long-repository', 'a 402-character repository', ack({ repository: `a/${'b'.repeat(400)}` }), 'invalid_frame'),
    refused('provider', 'a provider the relay does not know', ack({ provider: 'travis' }), 'invalid_frame'),
    refused('active-string', 'active as the string "true"', ack({ active: 'true' }), 'invalid_frame'),
    refused('long-ref', 'a 65-character ref', ack({ ref: 'r'.repeat(65) }), 'invalid_frame'),
    refused('unknown-build', 'a well-formed frame for a build the relay never stored', ack({ buildId: '424242424242' }), 'unknown_build'),
    refused('glob-repository', 'a repository that is a glob ("acme/*")', ack({ repository: 'acme/*' }), 'unknown_build'),
    refused('withdraw-unknown', 'withdrawing on a build the relay never stored', ack({ buildId: '424242424243', active: false }), 'unknown_build'),
    { id: 'ack-oversized', category: c, description: 'an acknowledge frame of 5,000 bytes (the cap is 4 KiB)', kind: 'frame', frame: ack({ ref: undefined, buildId: 'x'.repeat(5000) }), expect: { closeCode: 1009 } },
  ];
}

function floods(): HostileCase[] {
  const c = 'a flood of connections from one address';
  return [
    { id: 'flood-webhooks', category: c, description: '120 webhooks at once from one address, limit burst 20: the rest get 429 with Retry-After', kind: 'flood', target: 'hook', count: 120, expect: { atLeast429: 90 } },
    { id: 'flood-stream', category: c, description: '120 stream upgrades at once from one address, limit burst 20: the rest get 429 with Retry-After', kind: 'flood', target: 'stream', count: 120, expect: { atLeast429: 90 } },
    { id: 'flood-idle-sockets', category: c, description: '500 idle TCP connections at once: a real delivery still gets 200 and the idle ones are closed', kind: 'flood', target: 'idle', count: 500, expect: { status: 200 } },
  ];
}

export function streamCases(): HostileCase[] {
  return [...upgrades(), ...frames(), ...acknowledgeFrames(), ...floods()];
}
