/**
 * Ingest anchor: the least an HTTP server can do with a webhook. node:http, reads the whole body,
 * answers 200 with a JSON body the size of the relay's answer. No verification, no parsing, no
 * storage: the relay's figure over this one is the cost of everything buildbell does per delivery.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let seq = 0;
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    seq += 1;
    const body = JSON.stringify({ status: 'stored', seq });
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
