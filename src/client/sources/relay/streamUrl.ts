/**
 * The stream URL of a relay, and the rule that keeps relay tokens off the network in cleartext:
 * a relay token travels in the `Authorization` header of every connection, so `ws://` and
 * `http://` are accepted only to this machine unless the user says the network is trusted.
 */

export interface StreamUrlOptions {
  /**
   * Accept `ws://` and `http://` to a host that is not this machine (`--insecure`, or
   * `"insecure": true` in the settings' relay source). Default false.
   */
  readonly insecure?: boolean;
}

/** Thrown for a cleartext relay URL to another machine without `insecure`. */
export class InsecureRelayError extends Error {
  override readonly name = 'InsecureRelayError';
}

/**
 * The stream URL for a relay given as its base URL (ws://, wss://, http:// or https://). A
 * cleartext URL to a host outside 127.0.0.0/8, ::1 and `localhost` throws an
 * {@link InsecureRelayError} saying why, unless `options.insecure`.
 */
export function streamUrl(relay: string, after?: number, options: StreamUrlOptions = {}): string {
  let url: URL;
  try {
    url = new URL(relay);
  } catch {
    throw new Error(`--relay takes the relay's base URL, like ws://127.0.0.1:8787, not '${relay}'`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`--relay must be a ws://, wss://, http:// or https:// URL, not ${url.protocol}`);
  if (url.protocol === 'ws:' && !isLoopbackHost(url.hostname) && options.insecure !== true) {
    throw new InsecureRelayError(
      `refusing ${relay}: over ws:// or http:// the relay token would cross the network in cleartext, readable by anyone on the way. ` +
        `Use wss:// or https:// (a relay behind a TLS proxy), or add --insecure ("insecure": true in the settings' relay source) if this network is trusted.`,
    );
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/stream$/, '')}/stream`;
  url.search = after === undefined ? '' : `?after=${after}`;
  return url.toString();
}

/**
 * The URL a client resumes a stream with: `after` its cursor (none: start from now) and `batch=1`,
 * asking for a catch-up as batch frames (core/protocol.ts). A relay before batches ignores the
 * parameter and sends single frames, so the client must take both.
 */
export function resumeUrl(stream: string, after: number | undefined): string {
  const url = new URL(stream);
  if (after !== undefined) url.searchParams.set('after', String(after));
  url.searchParams.set('batch', '1');
  return url.toString();
}

/** This machine: 127.0.0.0/8, ::1 and `localhost` (a URL's hostname, IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
