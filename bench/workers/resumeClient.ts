/**
 * Resume, client side: one stream client that connects with after=0&batch=1 and counts event
 * frames until the relay's live frame says the replay is over. Timed from just before the
 * WebSocket is opened (the upgrade, token check and the whole replay are inside) to the live frame.
 *
 * It asks for batch frames, as the desktop client does, and parses each one whole (JSON.parse,
 * then the items of type event are counted), as a real client must; single event frames, from a
 * relay that does not batch, are counted by their start as before.
 *
 * argv[2]: JSON {url, token}. Sends {kind:'resumed', events, seconds}.
 */
import WebSocket from 'ws';

const config = JSON.parse(process.argv[2]!) as { url: string; token: string };
const started = process.hrtime.bigint();
const socket = new WebSocket(`${config.url}?after=0&batch=1`, { headers: { authorization: `Bearer ${config.token}` }, perMessageDeflate: false });
let events = 0;
socket.on('message', (data) => {
  const text = data.toString();
  // Event frames start with {"type":"event", batch frames with {"type":"batch"; anything else is hello, gap or live.
  if (text.startsWith('{"type":"event"')) {
    events += 1;
  } else if (text.startsWith('{"type":"batch"')) {
    const batch = JSON.parse(text) as { frames: Array<{ type: string }> };
    for (const frame of batch.frames) if (frame.type === 'event') events += 1;
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
