/**
 * Resume, client side: one stream client that connects with after=0&batch=1 and counts event
 * frames until the relay's live frame says the replay is over. Timed from just before the
 * WebSocket is opened (the upgrade, token check and the whole replay are inside) to the live frame.
 *
 * It asks for batch frames, as the desktop client does. The figure measures the relay, so the
 * client reads only what it checks, as the latency and fan-out clients do: each event's seq, which
 * must rise by one from 1 (the bench's log has nothing else), found with a regex, not JSON.parse.
 * Parsing every batch whole took 270–390 ms of the load core per 100,000 events, longer than the
 * relay took to send them: the client was busy 93 % of the replay, and the figure measured
 * JSON.parse. Inside a JSON string a quote is escaped, so `{"type":"event","seq":` only matches
 * the start of an item. Single event frames, from a relay that does not batch, are read the same way.
 *
 * argv[2]: JSON {url, token}. Sends {kind:'resumed', events, seconds}; exits 1 on a seq out of order.
 */
import WebSocket from 'ws';

const config = JSON.parse(process.argv[2]!) as { url: string; token: string };
const EVENT_START = /\{"type":"event","seq":(\d+)/g;
const started = process.hrtime.bigint();
const socket = new WebSocket(`${config.url}?after=0&batch=1`, { headers: { authorization: `Bearer ${config.token}` }, perMessageDeflate: false });
let events = 0;
socket.on('message', (data) => {
  const text = data.toString();
  if (text.startsWith('{"type":"event"') || text.startsWith('{"type":"batch"')) {
    for (const match of text.matchAll(EVENT_START)) {
      events += 1;
      if (Number(match[1]) !== events) fail(`event ${events} arrived with seq ${match[1]}`);
    }
  } else if (text.includes('"type":"live"')) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    socket.terminate();
    process.send!({ kind: 'resumed', events, seconds }, () => process.exit(0));
  }
});
socket.on('error', (error) => fail(error.message));

function fail(message: string): never {
  process.stderr.write(`resume client: ${message}\n`);
  process.exit(1);
}
