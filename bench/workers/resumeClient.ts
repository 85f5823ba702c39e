/**
 * Resume, client side: one stream client that connects with after=0 and counts event frames until
 * the relay's live frame says the replay is over. Timed from just before the WebSocket is opened
 * (the upgrade, token check and the whole replay are inside) to the live frame.
 *
 * argv[2]: JSON {url, token}. Sends {kind:'resumed', events, seconds}.
 */
import WebSocket from 'ws';

const config = JSON.parse(process.argv[2]!) as { url: string; token: string };
const started = process.hrtime.bigint();
const socket = new WebSocket(`${config.url}?after=0`, { headers: { authorization: `Bearer ${config.token}` }, perMessageDeflate: false });
let events = 0;
socket.on('message', (data) => {
  const text = data.toString();
  // Event frames start with {"type":"event"; anything else is hello, gap or live.
  if (text.startsWith('{"type":"event"')) {
    events += 1;
  } else if (text.includes('"type":"live"')) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    socket.terminate();
    process.send!({ kind: 'resumed', events, seconds }, () => process.exit(0));
  }
});
socket.on('error', (error) => {
  process.stderr.write(`resume client: ${error.message}\n`);
  process.exit(1);
});
