/** Hostile requests at the HTTP level: signatures, sizes, headers, paths, content types, methods, event types, slow senders. */
import { createHash } from 'node:crypto';
import { buildPayload, CHANNEL, MAX_BODY, OTHER_CHANNEL, OTHER_SECRET, sign, signedRequest, type HostileCase, type RawRequest } from '../corpus.js';
import { padTo } from './payload.js';

const stored = { status: 200, stored: true } as const;
const nothing = (status: number) => ({ status, stored: false });

function http(id: string, category: string, description: string, request: RawRequest, expect: HostileCase['expect']): HostileCase {
  return { id, category, description, kind: 'http', request, expect };
}

function signatures(): HostileCase[] {
  const c = 'bad and truncated signatures';
  const fresh = () => JSON.stringify(buildPayload());
  const cases: Array<[string, string, (body: string) => RawRequest, HostileCase['expect']]> = [
    ['missing', 'no X-Cirrus-Signature', (b) => signedRequest(b, { signature: null }), nothing(401)],
    ['empty', 'an empty signature', (b) => signedRequest(b, { signature: '' }), nothing(401)],
    ['truncated-63', 'the right digest minus its last hex digit', (b) => signedRequest(b, { signature: sign(b).slice(0, 63) }), nothing(401)],
    ['truncated-32', 'the first half of the right digest', (b) => signedRequest(b, { signature: sign(b).slice(0, 32) }), nothing(401)],
    ['extended-65', 'the right digest plus one hex digit', (b) => signedRequest(b, { signature: `${sign(b)}0` }), nothing(401)],
    ['sha256-prefix', 'the right digest with GitHub\'s sha256= prefix (Cirrus sends none)', (b) => signedRequest(b, { signature: `sha256=${sign(b)}` }), nothing(401)],
    ['uppercase', 'the right digest in upper case hex (same bytes)', (b) => signedRequest(b, { signature: sign(b).toUpperCase() }), stored],
    ['padded', 'the right digest with spaces around it (HTTP trims them)', (b) => signedRequest(b, { signature: `  ${sign(b)}  ` }), stored],
    ['other-body', 'a valid signature over a different body', (b) => signedRequest(b, { signature: sign(fresh()) }), nothing(401)],
    ['body-plus-newline', 'signed over the body plus a newline', (b) => signedRequest(b, { signature: sign(`${b}\n`) }), nothing(401)],
    ['wrong-secret', 'signed with another secret', (b) => signedRequest(b, { signature: sign(b, 'not-the-secret-at-all-really') }), nothing(401)],
    ['secret-prefix', 'signed with the secret minus its last character', (b) => signedRequest(b, { signature: sign(b, 'a-channel-secret-for-test') }), nothing(401)],
    ['other-channel', 'signed with the secret of another channel on this relay', (b) => signedRequest(b, { signature: sign(b, OTHER_SECRET) }), nothing(401)],
    ['non-hex', '64 characters that are not hex', (b) => signedRequest(b, { signature: 'g'.repeat(64) }), nothing(401)],
    ['empty-body-digest', 'the digest of an empty body', (b) => signedRequest(b, { signature: sign('') }), nothing(401)],
    ['base64', 'the right digest in base64', (b) => signedRequest(b, { signature: Buffer.from(sign(b), 'hex').toString('base64') }), nothing(401)],
    ['plain-sha256', 'a plain SHA-256 of the body, no key', (b) => signedRequest(b, { signature: createHash('sha256').update(b).digest('hex') }), nothing(401)],
    ['two-headers', 'a wrong and a right signature header (joined by HTTP)', (b) => signedRequest(b, { signature: 'f'.repeat(64), extraHeaders: [['X-Cirrus-Signature', sign(b)]] }), nothing(401)],
    ['10KB', 'a signature of 10,000 hex digits', (b) => signedRequest(b, { signature: 'a'.repeat(10_000) }), nothing(401)],
    ['zeros', 'sixty-four zeros', (b) => signedRequest(b, { signature: '0'.repeat(64) }), nothing(401)],
    ['no-headers', 'no Cirrus headers at all', (b) => signedRequest(b, { signature: null, eventType: null }), nothing(401)],
    ['signed-no-event', 'right signature but no X-Cirrus-Event', (b) => signedRequest(b, { eventType: null }), nothing(400)],
  ];
  const rows = cases.map(([id, description, make, expect]) => http(`signature-${id}`, c, description, make(fresh()), expect));
  const body = fresh();
  const flipped = `${body.slice(0, -2)}${body.at(-2) === '}' ? ']' : '}'}${body.at(-1)}`;
  rows.push(http('signature-one-byte-changed', 'signatures over a different body', 'the right signature, then one byte of the body changed', signedRequest(flipped, { signature: sign(body) }), nothing(401)));
  const titled = JSON.stringify(buildPayload());
  rows.push(http('signature-title-changed', 'signatures over a different body', 'signed, then the title edited in transit', signedRequest(titled.replace('"Fix"', '"Fix!"'), { signature: sign(titled) }), nothing(401)));
  rows.push(http('signature-empty-signed-body', 'bad and truncated signatures', 'an empty body, correctly signed', signedRequest('', { signature: sign('') }), nothing(400)));
  rows.push(http('signature-empty-unsigned-body', 'bad and truncated signatures', 'an empty body, unsigned', signedRequest('', { signature: null }), nothing(401)));
  rows.push(http('signature-right-for-other-channel', 'bad and truncated signatures', 'our signed delivery posted to another channel', signedRequest(fresh(), { path: `/hooks/${OTHER_CHANNEL}` }), nothing(401)));
  return rows;
}

function sizes(): HostileCase[] {
  const c = 'bodies over the cap';
  const over = padTo(JSON.stringify(buildPayload()), MAX_BODY + 1);
  const chunked = (body: string): RawRequest => ({ ...signedRequest(body), framing: 'chunked' });
  return [
    http('size-cap-plus-one', c, `one byte over the cap (${MAX_BODY + 1} bytes), signed`, signedRequest(over), nothing(413)),
    http('size-cap-plus-one-chunked', c, 'one byte over the cap, chunked (no Content-Length)', chunked(over), nothing(413)),
    http('size-10MB-chunked', c, '10 MB chunked', chunked(padTo(JSON.stringify(buildPayload()), 10 * MAX_BODY)), nothing(413)),
    http('size-declared-huge', c, 'Content-Length 10^12, no body sent', { ...signedRequest(''), framing: 'as-given', headers: [...signedRequest('').headers, ['Content-Length', '1000000000000']] }, nothing(413)),
    http('size-at-cap-chunked', c, `exactly ${MAX_BODY} bytes, chunked`, chunked(padTo(JSON.stringify(buildPayload()), MAX_BODY)), stored),
  ];
}

function headers(): HostileCase[] {
  const c = 'header injection and malformed requests';
  const valid = () => signedRequest(JSON.stringify(buildPayload()));
  const extra = (line: readonly [string, string]) => { const r = valid(); return { ...r, headers: [...r.headers, line] }; };
  const framed = (...lines: Array<readonly [string, string]>): RawRequest => { const r = valid(); return { ...r, framing: 'as-given', headers: [...r.headers, ...lines] }; };
  return [
    http('header-cr-in-value', c, 'a CR inside a header value, followed by a fake header', extra(['X-Note', 'a\rX-Injected: 1']), nothing(400)),
    http('header-nul-in-value', c, 'a NUL byte inside a header value', extra(['X-Note', 'a\0b']), nothing(400)),
    http('header-space-in-name', c, 'a header name with a space', extra(['X Note', 'a']), nothing(400)),
    http('header-obs-fold', c, 'an obsolete folded header line', extra(['X-Note', 'a\r\n  folded']), nothing(400)),
    http('header-cl-and-te', c, 'Content-Length and Transfer-Encoding together (request smuggling)', framed(['Content-Length', '5'], ['Transfer-Encoding', 'chunked']), nothing(400)),
    http('header-two-lengths', c, 'two different Content-Length headers', framed(['Content-Length', '5'], ['Content-Length', '6']), nothing(400)),
    http('header-negative-length', c, 'Content-Length -1', framed(['Content-Length', '-1']), nothing(400)),
    http('header-32KB', c, 'a 32 KB header (over Node\'s 16 KB limit)', extra(['X-Note', 'a'.repeat(32 * 1024)]), nothing(431)),
    http('header-event-crlf-encoded', c, 'X-Cirrus-Event holding a percent-encoded CRLF', signedRequest(JSON.stringify(buildPayload()), { eventType: 'build%0d%0aX-Injected:%201' }), nothing(202)),
    http('header-event-too-long', c, 'an X-Cirrus-Event of 101 characters', signedRequest(JSON.stringify(buildPayload()), { eventType: 'b'.repeat(101) }), nothing(400)),
    http('header-event-empty', c, 'an empty X-Cirrus-Event', signedRequest(JSON.stringify(buildPayload()), { eventType: '' }), nothing(400)),
    http('header-path-crlf', c, 'a percent-encoded CRLF and header in the channel name', signedRequest(JSON.stringify(buildPayload()), { path: `/hooks/${CHANNEL}%0d%0aX-Injected:%201` }), nothing(401)),
    { id: 'header-no-host', category: c, description: 'an HTTP/1.1 request without Host', kind: 'http', request: valid(), rawHead: 'omit-host', expect: nothing(400) },
    { id: 'header-bad-request-line', category: c, description: 'a request line with a space in the path', kind: 'http', request: { ...valid(), path: `/hooks/${CHANNEL} evil` }, expect: nothing(400) },
  ];
}

function paths(): HostileCase[] {
  // A name that is no channel is answered like an unknown channel: 401, the body unread.
  const c = 'path traversal in the channel name';
  const at = (path: string) => signedRequest(JSON.stringify(buildPayload()), { path });
  const rows: Array<[string, string, HostileCase['expect']]> = [
    ['/hooks/..%2f..%2fetc%2fpasswd', 'encoded ../../etc/passwd', nothing(401)],
    ['/hooks/%2e%2e', 'an encoded .. (resolved as a dot segment: no hook path at all)', nothing(404)],
    ['/hooks/..%2facme', 'an encoded ../acme', nothing(401)],
    ['/hooks/acme%2f..%2fother', 'an encoded acme/../other', nothing(401)],
    ['/hooks/acme%00', 'a NUL after the name', nothing(401)],
    ['/hooks/acme%20', 'a space after the name', nothing(401)],
    ['/hooks/ACME', 'the name in upper case (names are exact)', nothing(401)],
    ['/hooks/%D0%B0cme', 'a Cyrillic а for the a', nothing(401)],
    ['/hooks/%', 'a lone percent sign', nothing(401)],
    ['/hooks/%c0%ae%c0%ae', 'an overlong-UTF-8 ..', nothing(401)],
    ['/hooks/acme;x=1', 'a matrix parameter', nothing(401)],
    ['/hooks/acme/', 'a trailing slash', nothing(404)],
    ['/hooks//acme', 'a doubled slash', nothing(404)],
    ['/hooks/' + 'a'.repeat(65), 'a 65-character name', nothing(401)],
    ['/hooks/__proto__', 'a channel named __proto__', nothing(401)],
    ['/hooks/constructor', 'a channel named constructor', nothing(401)],
    ['/hooks/../healthz', 'dot segments up to /healthz (a POST there is refused)', nothing(405)],
    ['/hooks/nothing/../acme', 'dot segments that resolve to /hooks/acme: resolved as any URL is, then checked', stored],
    ['/hooks/acme?channel=other', 'a query string is not part of the channel', stored],
  ];
  return rows.map(([path, description, expect], i) => http(`path-${i + 1}`, c, `${description}: ${path.slice(0, 60)}`, at(path), expect));
}

function contentTypes(): HostileCase[] {
  const c = 'content types';
  const rows: Array<[string | null, number]> = [
    [null, 200], ['application/json', 200], ['APPLICATION/JSON', 200], ['application/json; charset=utf-8', 200],
    ['application/cloudevents+json', 200], ['', 200], ['text/plain', 415], ['application/x-www-form-urlencoded', 415],
    ['multipart/form-data; boundary=x', 415], ['application/jsonx', 415], ['json', 415], ['application/xml', 415],
  ];
  return rows.map(([type, status], i) => http(`content-type-${i + 1}`, c, `Content-Type ${type === null ? 'absent' : `'${type}'`}`, signedRequest(JSON.stringify(buildPayload()), { contentType: type }), status === 200 ? stored : nothing(status)));
}

function methods(): HostileCase[] {
  return ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'].map((method) =>
    http(`method-${method}`, 'methods', `${method} on the webhook`, signedRequest(method === 'GET' || method === 'HEAD' ? '' : JSON.stringify(buildPayload()), { method }), nothing(405)));
}

function eventTypes(): HostileCase[] {
  const c = 'unknown event types';
  const rows: Array<[string, HostileCase['expect']]> = [
    ['deployment', nothing(202)], ['BUILD', nothing(202)], ['Build', nothing(202)], ['check_run', nothing(202)],
    ['workflow_run', nothing(202)], ['toString', nothing(202)], ['hasOwnProperty', nothing(202)], ['b\u028Aild', nothing(202)],
    [' build ', stored], ['audit_event', nothing(422)], ['task', nothing(422)],
  ];
  return rows.map(([type, expect], i) => http(`event-type-${i + 1}`, c, `X-Cirrus-Event '${type}' with a build body`, signedRequest(JSON.stringify(buildPayload()), { eventType: type }), expect));
}

function slow(): HostileCase[] {
  const c = 'slow bodies and slow headers';
  const start = `POST /hooks/${CHANNEL} HTTP/1.1\r\nHost: relay\r\n`;
  return [
    { id: 'slow-headers', category: c, description: 'headers one line every 200 ms, never finished', kind: 'slow', head: start, drip: 'X-Drip: 1\r\n', everyMs: 200, connections: 1, expect: { status: 408, stored: false } },
    { id: 'slow-body', category: c, description: 'a 100,000-byte body sent 10 bytes every 200 ms', kind: 'slow', head: `${start}X-Cirrus-Event: build\r\nContent-Length: 100000\r\n\r\n`, drip: '          ', everyMs: 200, connections: 1, expect: { status: 408, stored: false } },
    { id: 'slow-chunked-forever', category: c, description: 'a chunked body whose chunks never end', kind: 'slow', head: `${start}X-Cirrus-Event: build\r\nTransfer-Encoding: chunked\r\n\r\n`, drip: 'a\r\n          \r\n', everyMs: 200, connections: 1, expect: { status: 408, stored: false } },
    { id: 'slowloris-50', category: c, description: '50 connections dripping headers at once, while a real delivery must still get through', kind: 'slow', head: start, drip: 'X-Drip: 1\r\n', everyMs: 300, connections: 50, expect: { status: 408, stored: false } },
  ];
}

export function httpCases(): HostileCase[] {
  return [...signatures(), ...sizes(), ...headers(), ...paths(), ...contentTypes(), ...methods(), ...eventTypes(), ...slow()];
}
