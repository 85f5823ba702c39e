import { describe, expect, it } from 'vitest';
import { signStandardWebhook, verifyGitlabToken, verifyStandardWebhook } from './token.js';

const SECRET = 'a-gitlab-secret-token';

describe('verifyGitlabToken', () => {
  it('accepts exactly the secret and nothing else', () => {
    expect(verifyGitlabToken(SECRET, SECRET)).toBe(true);
    for (const other of [undefined, '', 'a-gitlab-secret', `${SECRET} `, `${SECRET}x`, SECRET.toUpperCase()]) {
      expect(verifyGitlabToken(other, SECRET), String(other)).toBe(false);
    }
  });

  it('never accepts anything when the channel has no secret', () => {
    expect(verifyGitlabToken('', '')).toBe(false);
  });
});

describe('Standard Webhooks signatures', () => {
  // The specification's own test vector (standard-webhooks/standard-webhooks, spec/standard-webhooks.md).
  const vector = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  };
  const at = vector.timestamp * 1000;
  const headers = { id: vector.id, timestamp: String(vector.timestamp), signature: vector.signature };

  it('signs and verifies the specification\'s test vector', () => {
    expect(signStandardWebhook(vector.id, vector.timestamp, vector.body, vector.secret)).toBe(vector.signature);
    expect(verifyStandardWebhook(vector.body, headers, vector.secret, at)).toBe(true);
  });

  it('accepts one good signature among several, as key rotation sends them', () => {
    expect(verifyStandardWebhook(vector.body, { ...headers, signature: `v1,Zm9vYmFy ${vector.signature} v2,abc` }, vector.secret, at)).toBe(true);
  });

  it.each([
    ['another body', { body: '{"test": 2432232315}' }],
    ['another id', { headers: { ...headers, id: 'msg_other' } }],
    ['a timestamp six minutes old', { now: at + 6 * 60_000 }],
    ['a timestamp from the future', { now: at - 6 * 60_000 }],
    ['no signature header', { headers: { ...headers, signature: undefined } }],
    ['a signature that is not base64', { headers: { ...headers, signature: 'v1,***' } }],
    ['another secret', { secret: 'whsec_bm90LXRoZS1zZWNyZXQ=' }],
  ])('refuses %s', (_what, change: { body?: string; headers?: typeof headers | Record<string, string | undefined>; now?: number; secret?: string }) => {
    expect(verifyStandardWebhook(change.body ?? vector.body, (change.headers ?? headers) as typeof headers, change.secret ?? vector.secret, change.now ?? at)).toBe(false);
  });
});
