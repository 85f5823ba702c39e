import { describe, expect, it } from 'vitest';
import { signGithubPayload, verifyGithubSignature } from './signature.js';

// GitHub's documented test vector ("Validating webhook deliveries").
const SECRET = "It's a Secret to Everybody";
const BODY = 'Hello, World!';
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('X-Hub-Signature-256', () => {
  it("matches GitHub's documented test vector", () => {
    expect(signGithubPayload(BODY, SECRET)).toBe(SIGNATURE);
    expect(verifyGithubSignature(Buffer.from(BODY), SIGNATURE, SECRET)).toBe(true);
  });

  it('accepts upper-case hex (hex is case-insensitive)', () => {
    expect(verifyGithubSignature(BODY, `sha256=${SIGNATURE.slice(7).toUpperCase()}`, SECRET)).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without the sha256= prefix (the Cirrus form)', SIGNATURE.slice(7)],
    ['the SHA-1 form', 'sha1=0123456789abcdef0123456789abcdef01234567'],
    ['truncated', SIGNATURE.slice(0, -2)],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['for another body', signGithubPayload('Hello, World?', SECRET)],
    ['under another secret', signGithubPayload(BODY, 'another secret')],
  ])('refuses a signature that is %s', (_case, header) => {
    expect(verifyGithubSignature(BODY, header, SECRET)).toBe(false);
  });

  it('refuses everything when the secret is empty', () => {
    expect(verifyGithubSignature(BODY, signGithubPayload(BODY, ''), '')).toBe(false);
  });
});
