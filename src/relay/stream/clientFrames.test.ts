/** What a client may send, and how each refusal names what was wrong. */
import { describe, expect, it } from 'vitest';
import { readClientFrame } from './clientFrames.js';

const valid = { type: 'acknowledge', ref: 'r', provider: 'github', repository: 'acme/web', buildId: '9', active: false };
const read = (value: unknown, isBinary = false) => readClientFrame(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), isBinary);

describe('readClientFrame', () => {
  it('takes an acknowledge frame', () => {
    expect(read(valid)).toEqual({ ok: true, frame: valid });
  });

  it.each([
    ['binary', JSON.stringify(valid), true, 'binary'],
    ['not JSON', '{"type":', false, 'not JSON'],
    ['an array', [valid], false, 'JSON object'],
    ['an unknown type', { type: 'gap' }, false, '"gap"'],
    ['a name', { ...valid, by: 'x' }, false, "'by'"],
    ['two extra fields', { ...valid, by: 'x', branch: 'main' }, false, "'by', 'branch'"],
    ['a missing id', { ...valid, buildId: undefined }, false, "'buildId'"],
    ['a wrong provider', { ...valid, provider: 'travis' }, false, "'provider'"],
  ])('refuses %s, naming it', (_case, value, isBinary, named) => {
    const result = read(value, isBinary as boolean);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(named);
  });

  it('echoes the ref of a refused frame when it is one the protocol allows, and cuts long messages', () => {
    expect(read({ ...valid, by: 'x' })).toMatchObject({ ok: false, ref: 'r' });
    expect(read({ ...valid, ref: 'r'.repeat(65) })).toMatchObject({ ok: false, ref: null });
    const long = read({ ...valid, [`k${'y'.repeat(5000)}`]: 1 });
    expect(!long.ok && long.message.length).toBeLessThanOrEqual(500);
  });
});
