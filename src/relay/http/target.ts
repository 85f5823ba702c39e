/**
 * The request target, parsed without throwing. Node hands the raw target through (`//[`,
 * `http://x:99999/`, `*`), and `new URL` throws on many of them: a throw in a request or upgrade
 * listener is an uncaught exception that takes the whole relay down, so every target is parsed here.
 */
const BASE = 'http://relay.invalid';

/** The target's path and query, or undefined when it is not a URL the relay can route. */
export function parseRequestTarget(raw: string | undefined): URL | undefined {
  const target = raw ?? '/';
  // Only origin-form targets ("/path?query") are routed; absolute-form and the rest are refused.
  if (!target.startsWith('/')) return undefined;
  if (!URL.canParse(target, BASE)) return undefined;
  const url = new URL(target, BASE);
  // "//host/path" parses as a network-path reference to another host: not a path on this relay.
  return url.host === 'relay.invalid' ? url : undefined;
}
