/**
 * A loopback TCP proxy a test can cut or freeze, to make a network fail the way real ones do:
 * `cut()` resets every connection at once; `freeze()` keeps sockets open but passes no bytes
 * (a laptop asleep, a NAT that forgot the flow), which only a heartbeat can notice.
 */
import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  cut(): void;
  freeze(): void;
  thaw(): void;
  /** Refuse (reset) new connections until `accept()`, as a host that is down would. */
  refuse(): void;
  accept(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let frozen = false;
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (!frozen) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    cut,
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
    },
    refuse() {
      refusing = true;
    },
    accept() {
      refusing = false;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
