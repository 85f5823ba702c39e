import { describe, expect, it } from 'vitest';
import { gapCause } from './source.js';

describe('what a gap frame tells the user', () => {
  it('tells a replaced log from pruned events', () => {
    // The relay answers a cursor past its head with oldest = head + 1 (relay/stream/connection.ts).
    expect(gapCause({ type: 'gap', after: 120, oldest: 4 })).toMatch(/log was replaced/);
    expect(gapCause({ type: 'gap', after: 120, oldest: 120 })).toMatch(/log was replaced/);
    expect(gapCause({ type: 'gap', after: 10, oldest: 500 })).toMatch(/pruned/);
  });
});
