import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCirrusPayload, verifyCirrusSignature } from './signature.js';

// Computed independently with: printf '%s' '{"action":"created"}' | openssl dgst -sha256 -hmac 'cirrus-secret'
const VECTOR = {
  body: '{"action":"created"}',
  secret: 'cirrus-secret',
  signature: '1884346154bdc33531319edf9b9237f3661ee8a482f0320d66b63122567ac30b',
};

describe('verifyCirrusSignature', () => {
  it('matches a vector computed outside this code', () => {
    expect(createHmac('sha256', VECTOR.secret).update(VECTOR.body).digest('hex')).toBe(VECTOR.signature);
    expect(verifyCirrusSignature(Buffer.from(VECTOR.body), VECTOR.signature, VECTOR.secret)).toBe(true);
    expect(signCirrusPayload(VECTOR.body, VECTOR.secret)).toBe(VECTOR.signature);
  });

  it('rejects a signature made with another secret or over another body', () => {
    expect(verifyCirrusSignature(VECTOR.body, VECTOR.signature, 'other-secret')).toBe(false);
    expect(verifyCirrusSignature(`${VECTOR.body} `, VECTOR.signature, VECTOR.secret)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too short', VECTOR.signature.slice(0, 63)],
    ['too long', `${VECTOR.signature}0`],
    ['not hex', `${VECTOR.signature.slice(0, 63)}z`],
    ['with a sha256= prefix', `sha256=${VECTOR.signature}`],
  ])('a %s header is invalid, not an exception', (_label, header) => {
    expect(verifyCirrusSignature(VECTOR.body, header, VECTOR.secret)).toBe(false);
  });

  it('never accepts anything under an empty secret', () => {
    const signature = createHmac('sha256', '').update(VECTOR.body).digest('hex');
    expect(verifyCirrusSignature(VECTOR.body, signature, '')).toBe(false);
  });
});
