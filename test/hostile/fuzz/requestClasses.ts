/**
 * fast-check generators for raw HTTP/1.1 requests a relay may be sent: request lines, targets,
 * header sets, bodies and WebSocket upgrades, built from classes of trouble (brackets, escapes,
 * `//`, absolute-form, `*`, huge lengths, non-ASCII bytes, CR/LF/NUL inside, duplicated and
 * conflicting framing headers, chunked garbage, bad upgrade keys, versions, cursors and tokens)
 * rather than from fixed strings, so a new shape of an old class is found too.
 *
 * Text here is latin1: one character is one byte on the wire, so any byte can be placed anywhere.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';

/** What the relay under test was seeded with; the generators mix them in so checks pass sometimes. */
export interface FuzzVocabulary {
  readonly channel: string;
  readonly token: string;
  readonly revokedToken: string;
  /** The channel's secret: signed deliveries get past the signature to the parsers behind it. */
  readonly secret: string;
}

/** One request as written on the socket, and whether the client half-closes after writing it. */
export interface FuzzRequest {
  readonly bytes: Buffer;
  /**
   * `fin`: the client ends its side after the request (the relay must answer or close promptly).
   * `open`: the client keeps its side open; a relay still waiting for a body gets the FIN later.
   */
  readonly then: 'fin' | 'open';
  /** For the report of a failing case: what the bytes are, readable. */
  readonly label: string;
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');
/** UTF-8 bytes of `text`, as latin1 characters, so they can be spliced into the request text. */
const utf8Bytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

const anyByteChar = fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code));
const highByteChar = fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code));

/** Characters that break parsers: line breaks, NUL, controls, spaces, delimiters, bytes past ASCII. */
const troubleChar = fc.constantFrom('\r', '\n', '\0', '\t', ' ', '\x7f', '\x1b', '#', '?', '\\', '[', ']', '{', '}', '%', '@', ':', '"', '<', '>', '|', '^', '`');

const nonAscii = fc.oneof(
  highByteChar,
  fc.constantFrom('é', 'ü', '日本', '\u202e', '\ud83d\udd14', '\ufeff', '\u0130').map(utf8Bytes),
  // Overlong and truncated UTF-8 sequences.
  fc.constantFrom('\xc0\xae', '\xe0\x80', '\xed\xa0\x80', '\xf4\x90\x80\x80'),
);

const percentEscape = fc.oneof(
  fc.constantFrom('%', '%2', '%zz', '%00', '%0d%0a', '%2F', '%2f', '%2e%2e', '%5B', '%5D', '%C0%AE', '%FF', '%E2%80%AE', '%25', '%u002F'),
  fc.integer({ min: 0, max: 255 }).map((code) => `%${code.toString(16).padStart(2, '0')}`),
);

const pathSegment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('hooks', 'stream', 'healthz', 'metrics', 'acme', '', '.', '..', 'a') },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/) },
  { weight: 2, arbitrary: percentEscape },
  { weight: 2, arbitrary: troubleChar },
  { weight: 1, arbitrary: nonAscii },
  { weight: 1, arbitrary: fc.array(fc.oneof(percentEscape, troubleChar, nonAscii, fc.constantFrom('[', ']', '::1')), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')) },
);

/** A length class: small, around Node's 16 KiB header limit, and far past it. */
const hugeLength = fc.constantFrom(100, 2_000, 8_190, 16_385, 20_000, 70_000);
const huge = (unit: fc.Arbitrary<string>) => fc.tuple(unit, hugeLength).map(([text, length]) => text.repeat(Math.ceil(length / Math.max(1, text.length))).slice(0, length));

const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?', '?after=0', '?after=', '?after=-1', '?after=1e3', '?after=0x10', '?after=99999999999999999999', '?after=1&after=2', '?after=%30', '?after=%00', '?after[]=1', '?after=1#frag', '??after=1', '?after=+1', '?after= 1'),
  fc.array(fc.oneof(pathSegment, fc.constantFrom('=', '&')), { maxLength: 6 }).map((parts) => `?${parts.join('')}`),
);

const knownPath = fc.constantFrom('/', '/hooks/acme', '/hooks/nowhere', '/hooks/', '/hooks', '/stream', '/healthz', '/metrics', '/hooks/acme/extra', '/hooks/%61cme', '/hooks/ACME');

/** Request targets by class: origin-form and its abuses, `//` network paths, absolute-form, `*`, huge, broken bytes. */
export const requestTarget: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(knownPath, query).map(([path, q]) => `${path}${q}`) },
  { weight: 4, arbitrary: fc.tuple(fc.array(pathSegment, { minLength: 1, maxLength: 5 }), query).map(([segments, q]) => `/${segments.join('/')}${q}`) },
  // Network-path references: '//[' was finding 1 of issue 10.
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('//', '///', '//[', '//[::1', '//[::1]', '//a:99999', '//relay.invalid:x', '//evil.example', '//@', '//%5B'), fc.array(pathSegment, { maxLength: 3 }), query).map(([start, segments, q]) => `${start}${segments.length ? '/' : ''}${segments.join('/')}${q}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('http://', 'https://', 'ws://', 'HTTP://', 'file://', 'javascript:', 'mailto:', 'x:'), fc.constantFrom('relay.test', '[', '[::1]', '127.0.0.1:99999', 'a:b', '', 'user@host', '[::1', '%5B'), knownPath, query).map(([scheme, host, path, q]) => `${scheme}${host}${path}${q}`) },
  { weight: 1, arbitrary: fc.constantFrom('*', '**', '*/stream', 'hooks/acme', 'relay.test:80', '', ' ', '/ /', '%2Fhooks%2Facme', '\\\\hooks\\acme') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/hooks/', '/stream?after=', '/', '//'), huge(fc.oneof(fc.constantFrom('a', '%41', '[', '/', '%'), anyByteChar))).map(([start, rest]) => `${start}${rest}`) },
  { weight: 1, arbitrary: fc.tuple(knownPath, fc.array(fc.oneof(troubleChar, nonAscii, anyByteChar), { minLength: 1, maxLength: 4 }), query).map(([path, junk, q]) => `${path}${junk.join('')}${q}`) },
);

export const method: fc.Arbitrary<string> = fc.oneof(
  { weight: 14, arbitrary: fc.constantFrom('GET', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT') },
  { weight: 1, arbitrary: fc.constantFrom('get', 'post', 'PRI', 'M-SEARCH', 'PROPFIND', 'QUERY', 'BREW', '', 'G ET', 'POST\0', 'GET\r') },
  { weight: 1, arbitrary: fc.oneof(huge(fc.constant('A')), fc.array(fc.oneof(anyByteChar, troubleChar), { minLength: 1, maxLength: 8 }).map((chars) => chars.join(''))) },
);

export const httpVersion: fc.Arbitrary<string> = fc.oneof(
  { weight: 14, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 2, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/9.9', 'HTTP/1.1x', 'http/1.1', 'HTTP/1', 'HTTP/', 'HTTP/1.1 extra', 'HTTP/01.1', '', 'HTTP/1.1\0', 'PRI * HTTP/2.0') },
);

const lineEnding = fc.oneof({ weight: 16, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\r\r\n', '\n\r') });

type Header = readonly [string, string];

const headerName = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('Host', 'Content-Length', 'Transfer-Encoding', 'Content-Type', 'Connection', 'Expect', 'Authorization', 'Upgrade', 'X-Cirrus-Event', 'X-Cirrus-Signature', 'X-GitHub-Event', 'X-GitHub-Delivery', 'X-Hub-Signature-256', 'X-Gitlab-Event', 'X-Gitlab-Token', 'Idempotency-Key', 'Webhook-Signature', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Cookie', 'Range', 'Trailer', 'TE', 'Proxy-Connection', 'Keep-Alive') },
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('X-Note', 'Content-Length', 'Host', ''), fc.array(fc.oneof(troubleChar, nonAscii), { minLength: 1, maxLength: 3 })).map(([name, junk]) => `${name}${junk.join('')}`) },
  { weight: 1, arbitrary: huge(fc.constant('X')) },
);

const headerValue = fc.oneof(
  { weight: 12, arbitrary: fc.stringMatching(/^[!-~][ -~]{0,39}$/) },
  { weight: 2, arbitrary: fc.array(fc.oneof(fc.stringMatching(/^[ -~]{0,8}$/), troubleChar, nonAscii, anyByteChar), { maxLength: 8 }).map((parts) => parts.join('')) },
  // Obsolete line folding: a value continued on the next line.
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{1,8}$/).map((text) => `${text}\r\n ${text}`) },
  { weight: 1, arbitrary: huge(fc.oneof(fc.constant('a'), anyByteChar)) },
);

const lengthValue = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 64 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('-1', '+5', '0x10', '1e3', ' 5', '5 ', '5, 5', '5,6', '', 'abc', '00000000000000000005', '18446744073709551616', '1000000000000', '9007199254740993', '1048577', '5\0') },
);

const transferEncodingValue = fc.constantFrom('chunked', 'Chunked', 'chunked, chunked', 'gzip, chunked', 'chunked, gzip', 'identity', ' chunked', 'chunked ', 'x-chunked', 'chunked\0', 'compress', '');

/** Framing headers alone and in the conflicting combinations request smuggling lives on. */
const framingHeaders: fc.Arbitrary<Header[]> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Header[]>([]) },
  { weight: 2, arbitrary: lengthValue.map((value): Header[] => [['Content-Length', value]]) },
  { weight: 1, arbitrary: fc.tuple(lengthValue, lengthValue).map(([a, b]): Header[] => [['Content-Length', a], ['Content-Length', b]]) },
  { weight: 2, arbitrary: transferEncodingValue.map((value): Header[] => [['Transfer-Encoding', value]]) },
  { weight: 1, arbitrary: fc.tuple(transferEncodingValue, transferEncodingValue).map(([a, b]): Header[] => [['Transfer-Encoding', a], ['Transfer-Encoding', b]]) },
  {
    weight: 1,
    arbitrary: fc.tuple(lengthValue, transferEncodingValue, fc.boolean()).map(([length, te, lengthFirst]): Header[] =>
      lengthFirst ? [['Content-Length', length], ['Transfer-Encoding', te]] : [['Transfer-Encoding', te], ['Content-Length', length]]),
  },
);

const chunkedBody = fc.oneof(
  fc.constantFrom('0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', '5\r\nabc', 'ffffffffffffffff\r\n', '-1\r\n', '5;a=b\r\nhello\r\n0\r\n\r\n', '5\nhello\n0\n\n', '0\r\nX-Trailer: 1\r\n\r\n', '5\r\nhelloXX0\r\n\r\n', '1\r\n\0\r\n0\r\n\r\n', '\r\n\r\n', '0x5\r\nhello\r\n0\r\n\r\n', '5 \r\nhello\r\n0\r\n\r\n'),
  fc.array(fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{1,4}$/), fc.constantFrom('\r\n', ';', '\n', 'x', '\0')), { maxLength: 10 }).map((parts) => parts.join('')),
);

const body = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fc.constantFrom('{}', '{"action":"updated"}', 'not json', '[', '\0\0\0\0', 'null') },
  { weight: 2, arbitrary: chunkedBody },
  { weight: 1, arbitrary: fc.array(anyByteChar, { maxLength: 64 }).map((chars) => chars.join('')) },
);

const authorization = (vocabulary: FuzzVocabulary) => fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(`Bearer ${vocabulary.token}`, `bearer ${vocabulary.token}`, `Bearer ${vocabulary.revokedToken}`, `Bearer  ${vocabulary.token}`, `Bearer ${vocabulary.token} extra`, `Bearer ${vocabulary.token.slice(0, -1)}`, `Bearer ${vocabulary.token.slice(3)}`,
    'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer bb_', `Bearer bb_${'a'.repeat(300)}`, `Bearer ${vocabulary.token}\0`, '') },
  { weight: 1, arbitrary: fc.tuple(fc.constant('Bearer '), fc.array(fc.oneof(anyByteChar, nonAscii), { maxLength: 40 })).map(([start, chars]) => `${start}${chars.join('')}`) },
);

/** A header set: framing, a few known and random headers, Host present, absent or doubled. */
const headerSet = (vocabulary: FuzzVocabulary): fc.Arbitrary<Header[]> =>
  fc.tuple(
    fc.oneof(
      { weight: 8, arbitrary: fc.constant<Header[]>([['Host', 'relay.test']]) },
      { weight: 1, arbitrary: fc.constantFrom<Header[]>([], [['Host', 'relay.test'], ['Host', 'other.test']], [['Host', '']], [['Host', '[']], [['Host', 'relay.test:99999']]) },
    ),
    framingHeaders,
    fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }),
    fc.option(authorization(vocabulary).map((value) => ['Authorization', value] as Header), { nil: undefined }),
    fc.option(fc.constantFrom<Header>(['Expect', '100-continue'], ['Expect', 'nothing'], ['Connection', 'close'], ['Connection', 'keep-alive'], ['Content-Type', 'application/json'], ['Content-Type', 'application/x-www-form-urlencoded'], ['X-Cirrus-Event', 'build'], ['X-GitHub-Event', 'workflow_run']), { nil: undefined }),
    fc.constantFrom(0, 0, 0, 100, 1_000, 2_500),
  ).map(([host, framing, random, auth, known, many]) => [
    ...host, ...framing, ...random, ...(auth ? [auth] : []), ...(known ? [known] : []),
    // Many headers: Node keeps the first 2,000; past its 16 KiB header limit it answers 431.
    ...Array.from({ length: many }, (_, index): Header => [`X-Many-${index}`, 'v']),
  ]);

function encode(requestLine: string, headers: readonly Header[], ending: string, payload: string): Buffer {
  const head = [requestLine, ...headers.map(([name, value]) => `${name}: ${value}`)].join(ending);
  return latin1(`${head}${ending}${ending}${payload}`);
}

const describeRequest = (requestLine: string, headers: readonly Header[]) =>
  JSON.stringify(`${requestLine} | ${headers.filter(([name]) => !name.startsWith('X-Many-')).map(([name, value]) => `${name}: ${value.slice(0, 80)}`).join(' | ')}${headers.some(([name]) => name.startsWith('X-Many-')) ? ' | …many headers' : ''}`.slice(0, 600));

/** Plain requests: any method, target, version, header set and body, any line ending. */
export const plainRequest = (vocabulary: FuzzVocabulary): fc.Arbitrary<FuzzRequest> =>
  fc.record({
    method, target: requestTarget, version: httpVersion, headers: headerSet(vocabulary), ending: lineEnding, body,
    then: fc.constantFrom<'fin' | 'open'>('fin', 'fin', 'open'),
    // Without framing headers of its own, often a Content-Length that matches: the body is then read.
    exactLength: fc.boolean(),
    // The request line's separators: one space, or tabs and runs of spaces.
    separator: fc.oneof({ weight: 8, arbitrary: fc.constant(' ') }, { weight: 1, arbitrary: fc.constantFrom('  ', '\t', ' \t') }),
  }).map(({ method: verb, target, version, headers: given, ending, body: payload, then, exactLength, separator }) => {
    const requestLine = [verb, target, version].filter((part, index) => index < 2 || part !== '').join(separator);
    const framed = given.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name));
    const headers: Header[] = exactLength && !framed ? [...given, ['Content-Length', String(payload.length)]] : given;
    return { bytes: encode(requestLine, headers, ending, payload), then, label: `plain ${describeRequest(requestLine, headers)}` };
  });

const websocketKey = fc.oneof(
  { weight: 10, arbitrary: fc.constant('dGhlIHNhbXBsZSBub25jZQ==') },
  { weight: 2, arbitrary: fc.constantFrom('', 'short', 'dGhlIHNhbXBsZSBub25jZQ', '!!!!!!!!!!!!!!!!!!!!!!==', 'dGhlIHNhbXBsZSBub25jZQ==, dGhlIHNhbXBsZSBub25jZQ==', `${'A'.repeat(200)}==`) },
  { weight: 1, arbitrary: fc.array(fc.oneof(anyByteChar, nonAscii), { maxLength: 30 }).map((chars) => chars.join('')) },
);

const websocketVersion = fc.constantFrom('13', '13', '13', '8', '0', '', 'abc', '13, 8', '-13', '99999999999999999999', '13\0');

/** Bytes a client sends straight after its handshake: nothing, a frame, or junk. */
const afterHandshake = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('\x89\x80\0\0\0\0', '\x88\x80\0\0\0\0', '\x81\x05hello', '\x81\xff\xff\xff\xff\xff\xff\xff\xff\xff', '\x82\xfe\xff\xff\0\0\0\0', 'GET / HTTP/1.1\r\n\r\n') },
  { weight: 1, arbitrary: fc.array(anyByteChar, { minLength: 1, maxLength: 32 }).map((chars) => chars.join('')) },
);

/** WebSocket upgrades: to /stream and elsewhere, with bad keys, versions, cursors and tokens. */
export const upgradeRequest = (vocabulary: FuzzVocabulary): fc.Arbitrary<FuzzRequest> =>
  fc.record({
    method: fc.oneof({ weight: 12, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: method }),
    target: fc.oneof(
      { weight: 5, arbitrary: query.map((q) => `/stream${q}`) },
      { weight: 2, arbitrary: requestTarget },
    ),
    version: fc.oneof({ weight: 12, arbitrary: fc.constant('HTTP/1.1') }, { weight: 1, arbitrary: httpVersion }),
    upgrade: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom<Header[]>([['Upgrade', 'websocket']], [['Upgrade', 'WebSocket']]) },
      { weight: 1, arbitrary: fc.constantFrom<Header[]>([['Upgrade', 'h2c']], [], [['Upgrade', 'websocket'], ['Upgrade', 'h2c']], [['Upgrade', '']], [['Upgrade', 'websocket, h2c']]) },
    ),
    connection: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom<Header[]>([['Connection', 'Upgrade']], [['Connection', 'keep-alive, Upgrade']]) },
      { weight: 1, arbitrary: fc.constantFrom<Header[]>([['Connection', 'close']], [], [['Connection', 'Upgrade'], ['Connection', 'close']]) },
    ),
    key: fc.option(websocketKey, { nil: undefined, freq: 12 }),
    wsVersion: fc.option(fc.oneof({ weight: 8, arbitrary: fc.constant('13') }, { weight: 1, arbitrary: websocketVersion }), { nil: undefined, freq: 12 }),
    auth: fc.option(fc.oneof({ weight: 3, arbitrary: fc.constant(`Bearer ${vocabulary.token}`) }, { weight: 2, arbitrary: authorization(vocabulary) }), { nil: undefined, freq: 8 }),
    extras: fc.array(fc.oneof(
      fc.tuple(fc.constantFrom('Sec-WebSocket-Extensions', 'Sec-WebSocket-Protocol', 'Origin', 'Content-Length', 'Transfer-Encoding', 'Host', 'Sec-WebSocket-Key'), headerValue),
      fc.tuple(headerName, headerValue),
      fc.constantFrom<Header>(['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'], ['Sec-WebSocket-Extensions', 'permessage-deflate; server_max_window_bits=7'], ['Sec-WebSocket-Extensions', 'permessage-deflate; ;;'], ['Sec-WebSocket-Protocol', 'a,,b'], ['Sec-WebSocket-Protocol', 'a, a']),
    ), { maxLength: 2 }),
    after: afterHandshake,
    then: fc.constantFrom<'fin' | 'open'>('fin', 'open', 'open'),
  }).map(({ method: verb, target, version, upgrade, connection, key, wsVersion, auth, extras, after, then }) => {
    const requestLine = `${verb} ${target} ${version}`;
    const headers: Header[] = [
      ['Host', 'relay.test'], ...upgrade, ...connection,
      ...(key === undefined ? [] : [['Sec-WebSocket-Key', key] as const]),
      ...(wsVersion === undefined ? [] : [['Sec-WebSocket-Version', wsVersion] as const]),
      ...(auth === undefined ? [] : [['Authorization', auth] as const]),
      ...extras,
    ];
    return { bytes: encode(requestLine, headers, '\r\n', after), then, label: `upgrade ${describeRequest(requestLine, headers)}` };
  });

/** Several requests in one write: HTTP/1.1 pipelining, where a parser's state carries over. */
export const pipelinedRequests = (vocabulary: FuzzVocabulary): fc.Arbitrary<FuzzRequest> =>
  fc.array(fc.oneof(plainRequest(vocabulary), upgradeRequest(vocabulary)), { minLength: 2, maxLength: 3 }).map((requests) => ({
    bytes: Buffer.concat(requests.map((request) => request.bytes)),
    then: requests[0]!.then,
    label: `pipelined [${requests.map((request) => request.label).join(', ')}]`,
  }));

const cirrusBuild = (id: number) => ({
  action: 'updated', old_status: 'EXECUTING',
  repository: { id: 1, owner: 'acme', name: 'web', isPrivate: false },
  build: { id, branch: 'main', changeIdInRepo: 'abc123', changeTimestamp: 1722406690000, changeMessageTitle: 'Fix', status: 'FAILED', user: { id: 1, username: 'dev' } },
  task: {},
});

/** A valid Cirrus build payload with one field (at any depth of the ones below) replaced by any JSON value. */
const signedBody = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 2 ** 40 }).map((id) => JSON.stringify(cirrusBuild(id))) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 2 ** 40 }), fc.constantFrom('action', 'repository', 'build', 'task', 'build.id', 'build.status', 'build.branch', 'repository.owner', 'repository.name', 'build.changeTimestamp', 'task.name', 'task.id', '__proto__'), fc.jsonValue({ maxDepth: 3 }))
      .map(([id, path, value]) => {
        const payload = cirrusBuild(id) as Record<string, unknown>;
        const [outer, inner] = path.split('.') as [string, string | undefined];
        if (inner === undefined) payload[outer] = value;
        else payload[outer] = { ...(payload[outer] as object), [inner]: value };
        return JSON.stringify(payload);
      }),
  },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":1}x', '\ufeff{}', '[]', '1e999999', '{"a":"\ud800"}', `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`) },
);

/**
 * Deliveries signed with the channel's secret, as Cirrus, GitHub or GitLab, with fuzzed event types,
 * content types and delivery ids: the part of the relay only a sender with the secret reaches.
 */
export const signedDelivery = (vocabulary: FuzzVocabulary): fc.Arbitrary<FuzzRequest> =>
  fc.record({
    target: fc.oneof({ weight: 6, arbitrary: fc.constant(`/hooks/${vocabulary.channel}`) }, { weight: 1, arbitrary: fc.constantFrom(`/hooks/${vocabulary.channel}?x=1`, '/hooks/%61cme', `/hooks/${vocabulary.channel}%00`, `/hooks/${vocabulary.channel.toUpperCase()}`) }),
    body: signedBody,
    as: fc.constantFrom('cirrus', 'github', 'gitlab', 'both'),
    eventType: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('build', 'task', 'workflow_run', 'workflow_job', 'ping', 'Pipeline Hook', 'Job Hook') }, { weight: 1, arbitrary: headerValue }),
    // GitLab's Standard Webhooks headers: present, absent, half present, and odd in every field.
    standard: fc.option(fc.record({
      id: fc.oneof(fc.uuid(), headerValue),
      timestamp: fc.oneof(fc.constant(String(Math.floor(Date.now() / 1000))), fc.constantFrom('0', '-1', '9999999999999', '1e9', '', 'now'), headerValue),
      signature: fc.oneof(fc.constantFrom('v1,', 'v1,====', 'v2,abc', 'v1,AAAA v1,BBBB', `v1,${'A'.repeat(5000)}`), fc.base64String().map((text) => `v1,${text}`), headerValue),
    }, { requiredKeys: [] }), { nil: undefined, freq: 2 }),
    contentType: fc.option(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/vnd.x+json', 'text/plain', 'application/x-www-form-urlencoded', '', ';', 'application/json;;;'), { nil: undefined, freq: 3 }),
    deliveryId: fc.option(fc.oneof(fc.uuid(), headerValue), { nil: undefined, freq: 3 }),
    chunked: fc.boolean(),
    extra: fc.array(fc.tuple(headerName, headerValue), { maxLength: 2 }),
    then: fc.constantFrom<'fin' | 'open'>('fin', 'open'),
  }).map(({ target, body: payload, as, eventType, standard, contentType, deliveryId, chunked, extra, then }) => {
    const digest = createHmac('sha256', vocabulary.secret).update(Buffer.from(payload, 'utf8')).digest('hex');
    const bytes = Buffer.from(payload, 'utf8').toString('latin1');
    const headers: Header[] = [['Host', 'relay.test']];
    if (as !== 'github') headers.push(['X-Cirrus-Event', eventType], ['X-Cirrus-Signature', digest]);
    if (as === 'github' || as === 'both') headers.push(['X-GitHub-Event', eventType], ['X-Hub-Signature-256', `sha256=${digest}`]);
    if (as === 'gitlab') {
      headers.push(['X-Gitlab-Event', eventType], ['X-Gitlab-Token', vocabulary.secret]);
      if (standard?.id !== undefined) headers.push(['Webhook-Id', standard.id]);
      if (standard?.timestamp !== undefined) headers.push(['Webhook-Timestamp', standard.timestamp]);
      if (standard?.signature !== undefined) headers.push(['Webhook-Signature', standard.signature]);
      if (deliveryId !== undefined) headers.push(['Idempotency-Key', deliveryId]);
    }
    if (deliveryId !== undefined) headers.push(['X-GitHub-Delivery', deliveryId]);
    if (contentType !== undefined) headers.push(['Content-Type', contentType]);
    headers.push(...extra);
    const framed = chunked ? `${Buffer.byteLength(bytes, 'latin1').toString(16)}\r\n${bytes}\r\n0\r\n\r\n` : bytes;
    headers.push(chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(Buffer.byteLength(bytes, 'latin1'))]);
    const requestLine = `POST ${target} HTTP/1.1`;
    return { bytes: encode(requestLine, headers, '\r\n', framed), then, label: `signed ${describeRequest(requestLine, headers)} body ${JSON.stringify(payload.slice(0, 200))}` };
  });

/** A counterexample prints as its bytes in latin1 and how the client ended, not as a byte array. */
const printable = (request: FuzzRequest): FuzzRequest =>
  Object.assign(request, { [fc.toStringMethod]: () => `${JSON.stringify(request.bytes.toString('latin1'))} then ${request.then}` });

/** Every class, weighted towards single requests (each is cheaper to judge and to shrink). */
export const fuzzRequest = (vocabulary: FuzzVocabulary): fc.Arbitrary<FuzzRequest> => fc.oneof(
  { weight: 5, arbitrary: plainRequest(vocabulary) },
  { weight: 4, arbitrary: upgradeRequest(vocabulary) },
  { weight: 2, arbitrary: signedDelivery(vocabulary) },
  { weight: 1, arbitrary: pipelinedRequests(vocabulary) },
).map(printable);
