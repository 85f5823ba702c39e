import { describe, expect, it } from 'vitest';
import { InsecureRelayError, isLoopbackHost, resumeUrl, streamUrl } from './streamUrl.js';

describe('streamUrl', () => {
  it('turns a base URL into the stream URL', () => {
    expect(streamUrl('http://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787/stream');
    expect(streamUrl('https://relay.acme.dev/base/', 5)).toBe('wss://relay.acme.dev/base/stream?after=5');
  });

  it.each(['ws://relay.acme.dev', 'http://relay.acme.dev:8787', 'ws://10.0.0.5:8787', 'ws://[2001:db8::1]:8787', 'ws://128.0.0.1', 'ws://localhost.evil.example'])(
    'refuses cleartext %s, saying the token would travel in cleartext', (url) => {
      expect(() => streamUrl(url)).toThrow(InsecureRelayError);
      expect(() => streamUrl(url)).toThrow(/token would cross the network in cleartext.*--insecure/);
    });

  it.each(['ws://127.0.0.1:8787', 'http://127.1.2.3', 'ws://[::1]:8787', 'ws://localhost:8787', 'ws://LOCALHOST.'])('accepts cleartext to this machine: %s', (url) => {
    expect(() => streamUrl(url)).not.toThrow();
  });

  it('accepts TLS anywhere, and cleartext anywhere when told the network is trusted', () => {
    expect(streamUrl('wss://relay.acme.dev')).toBe('wss://relay.acme.dev/stream');
    expect(streamUrl('ws://relay.acme.dev', undefined, { insecure: true })).toBe('ws://relay.acme.dev/stream');
  });

  it('resumes after the cursor and asks for batch frames, with or without a cursor', () => {
    expect(resumeUrl('wss://relay.acme.dev/base/stream', 42)).toBe('wss://relay.acme.dev/base/stream?after=42&batch=1');
    expect(resumeUrl('ws://127.0.0.1:8787/stream', undefined)).toBe('ws://127.0.0.1:8787/stream?batch=1');
    expect(resumeUrl('ws://127.0.0.1:8787/stream', 0)).toBe('ws://127.0.0.1:8787/stream?after=0&batch=1');
  });

  it('knows loopback from lookalikes', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.evil.example')).toBe(false);
  });
});
