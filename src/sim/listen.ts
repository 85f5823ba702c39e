/**
 * Starting and stopping the simulators' HTTP servers (the Cirrus GraphQL API, the GitHub REST
 * API): listen on a loopback port and say where; close without waiting on keep-alive sockets.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on `host:port` (port 0: any free one) and resolves with `http://<host>:<port>`. */
export async function listenOn(server: Server, port = 0, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/** Stops listening and drops every open connection, so a stop() never waits on a client's keep-alive. */
export function closeNow(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
