import { describe, expect, it } from 'vitest';
import { describeClose } from './stream.js';

describe('describeClose', () => {
  it('says in words what 1006 means', () => {
    expect(describeClose(1006, '')).toBe('1006: the connection dropped without a closing handshake (the relay stopped or the network cut it)');
  });

  it('keeps the relay\'s reason after the meaning, and the bare code when it has none', () => {
    expect(describeClose(4001, 'token revoked')).toBe('4001: the token was revoked: token revoked');
    expect(describeClose(4999, '')).toBe('4999');
  });
});
