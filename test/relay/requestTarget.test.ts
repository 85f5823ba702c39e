/**
 * Request targets that `new URL` cannot parse (finding 1 of the security review: `//[` killed the
 * relay with an uncaught TypeError). Each is answered 400 and the relay keeps serving.
 */
import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../../src/relay/http/target.js';
import { exchange, upgradeRequest } from '../hostile/wire.js';
import { useRelay } from '../support/relayPerFile.js';

const served = useRelay();

const UNROUTABLE = ['//[', '//[::1', '//a:99999/', '//relay.invalid:x/hooks/acme', '*', 'http://[/', 'hooks/acme', '//evil.example/hooks/acme'];

describe('parseRequestTarget', () => {
  it.each(UNROUTABLE)('refuses %j without throwing', (target) => {
    expect(parseRequestTarget(target)).toBeUndefined();
  });

  it('keeps the path and query of an origin-form target', () => {
    const url = parseRequestTarget('/stream?after=12');
    expect(url?.pathname).toBe('/stream');
    expect(url?.searchParams.get('after')).toBe('12');
  });
});

describe('the relay given an unparseable target', () => {
  it.each(UNROUTABLE)('answers %j with 400, for a request and for an upgrade, and stays up', async (target) => {
    const plain = await exchange(served.relay.port, `POST ${target} HTTP/1.1\r\nHost: relay.test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(plain.status).toBe(400);
    const upgrade = await exchange(served.relay.port, upgradeRequest(target, []));
    expect(upgrade.status).toBe(400);
    const health = await fetch(`${served.relay.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
