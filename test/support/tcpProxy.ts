/**
 * A loopback TCP proxy a test can cut or freeze, to make a network fail the way real ones do:
 * `cut()` resets every connection at once; `freeze()` keeps sockets open but passes no bytes
 * (a laptop asleep, a NAT that forgot the flow), which only a heartbeat can notice. It records
 * each request's first line, and can rewrite it.
 */
import net from 'node:net';

export interface TcpProxyOptions {
  /**
   * Rewrites the first line of each connection's request (`GET /stream?after=3&batch=1 HTTP/1.1`)
   * before it goes on: a test can make a relay see what an older client would have sent. Default:
   * passed as it is.
   */
  readonly requestLine?: (line: string) => string;
  /** Sees every chunk on its way from the target to the client. */
  readonly onResponseData?: (chunk: Buffer) => void;
}

export interface TcpProxy {
  readonly port: number;
  /** The first line of every request that came through, as the client sent it. */
  readonly requestLines: readonly string[];
  cut(): void;
  freeze(): void;
  thaw(): void;
  /** Refuse (reset) new connections until `accept()`, as a host that is down would. */
  refuse(): void;
  accept(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, options: TcpProxyOptions = {}): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  const requestLines: string[] = [];
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
    // The request's first line is held until it is whole, recorded and passed on (rewritten if asked).
    let head: Buffer | undefined = Buffer.alloc(0);
    client.on('data', (chunk) => {
      if (head === undefined || frozen) {
        if (!frozen) upstream.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n');
      if (end === -1) return;
      const line = head.subarray(0, end).toString('latin1');
      requestLines.push(line);
      upstream.write(Buffer.concat([Buffer.from(options.requestLine?.(line) ?? line, 'latin1'), head.subarray(end)]));
      head = undefined;
    });
    if (options.onResponseData) upstream.on('data', options.onResponseData);
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
    requestLines,
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
