/**
 * Fan-out anchor: what a WebSocket broadcast costs with nothing else around it. POST /hooks/<any>
 * reads the body, answers 200, then (on the next turn, as the relay does) builds one buffer from
 * it, padded to the relay's frame size, and sends that same buffer to every open client. No
 * signature, no parsing, no storage, no per-client checks.
 *
 * argv[2]: JSON {frameBytes}.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

const { frameBytes } = JSON.parse(process.argv[2]!) as { frameBytes: number };
const clients = new Set<WebSocket>();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
let seq = 0;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    seq += 1;
    const body = Buffer.concat(chunks).toString();
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ status: 'stored', seq }));
    setImmediate(() => broadcast(seq, body));
  });
});
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    clients.add(ws);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => clients.delete(ws));
  });
});

function broadcast(eventSeq: number, body: string): void {
  const text = `{"type":"event","seq":${eventSeq},"event":${body}`;
  const padding = Math.max(0, frameBytes - text.length - 10);
  const frame = Buffer.from(`${text},"pad":"${' '.repeat(padding)}"}`);
  for (const client of clients) if (client.readyState === WebSocket.OPEN) client.send(frame);
}

server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
