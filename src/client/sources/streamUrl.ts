/** The stream URL for a relay given as its base URL (ws://, wss://, http:// or https://). */
export function streamUrl(relay: string, after?: number): string {
  let url: URL;
  try {
    url = new URL(relay);
  } catch {
    throw new Error(`--relay takes the relay's base URL, like ws://127.0.0.1:8787, not '${relay}'`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`--relay must be a ws://, wss://, http:// or https:// URL, not ${url.protocol}`);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/stream$/, '')}/stream`;
  url.search = after === undefined ? '' : `?after=${after}`;
  return url.toString();
}
