/** Hostile bodies, all correctly signed: wrong types, missing fields, odd numbers, huge strings, deep nesting, prototype keys, bad UTF-8. */
import { buildPayload, jsonWithRaw, MAX_BODY, setPath, signedRequest, taskPayload, type HostileCase } from '../corpus.js';

const WRONG_VALUES: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true], ['a string', 'text'], ['an array', []], ['an object', {}], ['-1', -1], ['1.5', 1.5], ['null', null],
];

/** Which of WRONG_VALUES each field accepts (by name); every other value is a 422. */
const BUILD_FIELDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['action', []], ['old_status', ['null']], ['repository', []], ['repository.id', []],
  ['repository.owner', ['a string']], ['repository.name', ['a string']], ['repository.isPrivate', ['true']],
  ['build', []], ['build.id', []], ['build.status', []], ['build.branch', ['a string', 'null']],
  ['build.changeIdInRepo', ['a string', 'null']], ['build.changeTimestamp', ['null']],
  ['build.changeMessageTitle', ['a string', 'null']], ['build.name', ['a string', 'null']],
  ['build.pullRequest', ['null']], ['build.user', ['an object', 'null']], ['build.user.username', ['a string', 'null']],
];
const TASK_FIELDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['task', []], ['task.id', []], ['task.name', ['a string']], ['task.status', []],
  ['task.nameAlias', ['a string', 'null']], ['task.creationTimestamp', ['null']],
  ['task.finalStatusTimestamp', ['null']], ['task.statusTimestamp', ['null']],
];
const REQUIRED_BUILD = ['action', 'repository', 'repository.id', 'repository.owner', 'repository.name', 'build', 'build.id', 'build.status'];
const OPTIONAL_BUILD = ['old_status', 'repository.isPrivate', 'build.branch', 'build.changeIdInRepo', 'build.changeTimestamp', 'build.changeMessageTitle', 'build.user', 'task'];
const REQUIRED_TASK = ['task.id', 'task.name', 'task.status'];

const ok = { status: 200, stored: true } as const;
const invalid = { status: 422, stored: false } as const;

function wrongTypes(eventType: 'build' | 'task', fields: typeof BUILD_FIELDS, make: () => Record<string, unknown>): HostileCase[] {
  return fields.flatMap(([field, accepts]) => WRONG_VALUES.map(([name, value]): HostileCase => ({
    id: `type-${eventType}-${field}-${name.replace(/\W+/g, '_')}`,
    category: 'wrong types in every field',
    description: `${eventType} event with ${field} = ${name}`,
    kind: 'http',
    request: signedRequest(JSON.stringify(setPath(make(), field.split('.'), structuredClone(value))), { eventType }),
    expect: accepts.includes(name) ? ok : invalid,
  })));
}

function missing(eventType: 'build' | 'task', fields: readonly string[], expect: typeof ok | typeof invalid, make: () => Record<string, unknown>): HostileCase[] {
  return fields.map((field) => ({
    id: `missing-${eventType}-${field}`,
    category: 'missing fields',
    description: `${eventType} event without ${field}${expect === ok ? ' (optional)' : ''}`,
    kind: 'http',
    request: signedRequest(JSON.stringify(setPath(make(), field.split('.'), undefined)), { eventType }),
    expect,
  }));
}

function body(id: string, category: string, description: string, text: string | Buffer, expect: HostileCase['expect'], eventType = 'build'): HostileCase {
  return { id, category, description, kind: 'http', request: signedRequest(text, { eventType }), expect };
}

function withBuildId(raw: string): string {
  const payload = buildPayload();
  (payload['build'] as Record<string, unknown>)['id'] = '@RAW@';
  return jsonWithRaw(payload, raw);
}

function numbers(): HostileCase[] {
  const c = 'huge numbers and ids past 2^53';
  const field = (path: string[], raw: string) => jsonWithRaw(setPath(buildPayload(), path, '@RAW@'), raw);
  return [
    body('id-2^53+1', c, 'build id 9007199254740993 (not a double) is kept digit for digit', withBuildId('9007199254740993'), { ...ok, buildId: '9007199254740993' }),
    body('id-2^53-1', c, 'build id 9007199254740991, the largest safe integer', withBuildId('9007199254740991'), { ...ok, buildId: '9007199254740991' }),
    body('id-2^64', c, 'build id 2^64 is kept digit for digit', withBuildId('18446744073709551616'), { ...ok, buildId: '18446744073709551616' }),
    body('id-40-digits', c, 'build id of 40 digits, the most an id may have', withBuildId('9'.repeat(40)), { ...ok, buildId: '9'.repeat(40) }),
    body('id-41-digits', c, 'build id of 41 digits', withBuildId('9'.repeat(41)), invalid),
    body('id-1e20', c, 'build id 1e20: a double that already lost digits', withBuildId('1e20'), invalid),
    body('id-1e400', c, 'build id 1e400 (Infinity once parsed)', withBuildId('1e400'), invalid),
    body('id-negative-huge', c, 'build id -9007199254740993', withBuildId('-9007199254740993'), invalid),
    body('id-fraction', c, 'build id 77.5', withBuildId('77.5'), invalid),
    body('id-1MB-digits', c, 'build id of 900,000 digits', withBuildId('7'.repeat(900_000)), invalid),
    body('timestamp-1e400', c, 'changeTimestamp 1e400', field(['build', 'changeTimestamp'], '1e400'), invalid),
    body('timestamp-past-2^53', c, 'changeTimestamp 9007199254740993', field(['build', 'changeTimestamp'], '9007199254740993'), invalid),
    body('pull-request-1e400', c, 'pullRequest 1e400', field(['build', 'pullRequest'], '1e400'), invalid),
    body('unknown-field-huge-number', c, 'an unknown field holding a 900,000-digit number', field(['extra'], '1'.repeat(900_000)), ok),
    body('nan-literal', c, 'NaN as a value is not JSON', field(['build', 'changeTimestamp'], 'NaN'), { status: 400, stored: false }),
    body('infinity-literal', c, 'Infinity as a value is not JSON', field(['build', 'changeTimestamp'], 'Infinity'), { status: 400, stored: false }),
  ];
}

function strings(): HostileCase[] {
  const c = 'strings of 1 MB';
  const mb = 'x'.repeat(1_000_000);
  return [
    body('title-1MB', c, 'a 1 MB commit title: stored, cut to a line for notifications', JSON.stringify(setPath(buildPayload(), ['build', 'changeMessageTitle'], mb)), ok),
    body('branch-1MB', c, 'a 1 MB branch name', JSON.stringify(setPath(buildPayload(), ['build', 'branch'], mb)), invalid),
    body('owner-1MB', c, 'a 1 MB owner name', JSON.stringify(setPath(buildPayload(), ['repository', 'owner'], mb)), invalid),
    body('unknown-1MB', c, 'an unknown field holding 1 MB', JSON.stringify(setPath(buildPayload(), ['extra'], mb)), ok),
    body('escapes-1MB', c, 'an unknown field of 150,000 \\u0000 escapes', jsonWithRaw(setPath(buildPayload(), ['extra'], '@RAW@'), `"${'\\u0000'.repeat(150_000)}"`), ok),
    body('lone-surrogate', c, 'a title holding a lone surrogate escape', jsonWithRaw(setPath(buildPayload(), ['build', 'changeMessageTitle'], '@RAW@'), '"\\ud800 build"'), ok),
  ];
}

function nesting(): HostileCase[] {
  const c = 'deeply nested JSON';
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  return [
    body('nested-array-body', c, 'the body is 500,000 nested arrays', deep(500_000), invalid),
    body('nested-in-unknown', c, 'an unknown field of 400,000 nested arrays', jsonWithRaw(setPath(buildPayload(), ['extra'], '@RAW@'), deep(400_000)), ok),
    body('nested-objects-in-unknown', c, 'an unknown field of 100,000 nested objects', jsonWithRaw(setPath(buildPayload(), ['extra'], '@RAW@'), deepObject(100_000)), ok),
    body('nested-as-id', c, 'build id is 100,000 nested arrays', withBuildId(deep(100_000)), invalid),
    body('nested-as-repository', c, 'repository is 100,000 nested objects', jsonWithRaw(setPath(buildPayload(), ['repository'], '@RAW@'), deepObject(100_000)), invalid),
    body('nested-unclosed', c, '500,000 opening brackets, never closed', '['.repeat(500_000), { status: 400, stored: false }),
    body('nested-data-wrapper', c, 'the docs wrapper inside another wrapper', JSON.stringify({ action: 'updated', data: { data: buildPayload() } }), invalid),
    body('truncated-json', c, 'a valid body cut in half', JSON.stringify(buildPayload()).slice(0, 80), { status: 400, stored: false }),
  ];
}

function prototypeKeys(): HostileCase[] {
  const c = '__proto__ and constructor keys';
  // Written as text: assigning __proto__ on an object would set its prototype, not a key.
  const raw = (value: Record<string, unknown>, key: string, json: string) => `{"${key}":${json},${JSON.stringify(value).slice(1)}`;
  const withoutOwner = () => {
    const payload = buildPayload();
    delete (payload['repository'] as Record<string, unknown>)['owner'];
    return JSON.stringify(payload).replace('"repository":{', '"repository":{"__proto__":{"owner":"evil"},');
  };
  return [
    body('proto-top', c, 'a top-level __proto__ object: kept as data, pollutes nothing', raw(buildPayload(), '__proto__', '{"polluted":true,"action":"bogus"}'), ok),
    body('proto-null', c, 'a top-level __proto__: null', raw(buildPayload(), '__proto__', 'null'), ok),
    body('proto-in-repository', c, 'repository.__proto__ holds the owner the repository lacks: not inherited', withoutOwner(), invalid),
    body('proto-in-build', c, 'build.__proto__ is a string', JSON.stringify(buildPayload()).replace('"build":{', '"build":{"__proto__":"x",'), ok),
    body('constructor-prototype', c, 'constructor.prototype.polluted at the top level', raw(buildPayload(), 'constructor', '{"prototype":{"polluted":true}}'), ok),
    body('proto-in-wrapper', c, 'the docs wrapper with __proto__ inside data', JSON.stringify({ action: 'updated', data: buildPayload() }).replace('"data":{', '"data":{"__proto__":{"polluted":true},'), ok),
    body('proto-event-type', c, 'X-Cirrus-Event: __proto__', JSON.stringify(buildPayload()), { status: 202, stored: false }, '__proto__'),
    body('constructor-event-type', c, 'X-Cirrus-Event: constructor', JSON.stringify(buildPayload()), { status: 202, stored: false }, 'constructor'),
  ];
}

function encodings(): HostileCase[] {
  const c = 'invalid UTF-8';
  const bad = (bytes: number[]) => {
    const [before, after] = JSON.stringify(setPath(buildPayload(), ['build', 'changeMessageTitle'], 'Fix@@')).split('@@') as [string, string];
    return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
  };
  const rejected = { status: 400, stored: false } as const;
  return [
    body('utf8-ff', c, 'a 0xFF byte inside the title', bad([0xff]), rejected),
    body('utf8-overlong', c, 'an overlong encoding of "/" (C0 AF)', bad([0xc0, 0xaf]), rejected),
    body('utf8-surrogate', c, 'a UTF-8-encoded surrogate (ED A0 80)', bad([0xed, 0xa0, 0x80]), rejected),
    body('utf8-truncated', c, 'a multibyte sequence cut short (E2 82)', bad([0xe2, 0x82]), rejected),
    body('utf8-latin1', c, 'Latin-1 é (0xE9) instead of UTF-8', bad([0xe9]), rejected),
    body('utf8-beyond-unicode', c, 'F5 80 80 80, past U+10FFFF', bad([0xf5, 0x80, 0x80, 0x80]), rejected),
    body('utf16le', c, 'the body in UTF-16LE', Buffer.from(JSON.stringify(buildPayload()), 'utf16le'), rejected),
    body('utf8-bom', c, 'a UTF-8 byte-order mark before the JSON (valid UTF-8)', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(buildPayload()))]), ok),
  ];
}

function bodyShapes(): HostileCase[] {
  const c = 'wrong types in every field';
  return WRONG_VALUES.map(([name, value]) => body(`type-body-${name.replace(/\W+/g, '_')}`, c, `the whole body is ${name}`, JSON.stringify(value), invalid));
}

export function payloadCases(): HostileCase[] {
  return [
    ...wrongTypes('build', BUILD_FIELDS, buildPayload),
    ...wrongTypes('task', [...BUILD_FIELDS.filter(([field]) => field.startsWith('repository') || field === 'build.id'), ...TASK_FIELDS], taskPayload),
    ...bodyShapes(),
    ...missing('build', REQUIRED_BUILD, invalid, buildPayload),
    ...missing('build', OPTIONAL_BUILD, ok, buildPayload),
    ...missing('task', REQUIRED_TASK, invalid, taskPayload),
    ...numbers(),
    ...strings(),
    ...nesting(),
    ...prototypeKeys(),
    ...encodings(),
    body('body-at-cap', 'bodies at and over the cap', `exactly ${MAX_BODY} bytes (JSON padded with spaces)`, padTo(JSON.stringify(buildPayload()), MAX_BODY), ok),
  ];
}

export function padTo(json: string, bytes: number): string {
  return json + ' '.repeat(bytes - Buffer.byteLength(json));
}
