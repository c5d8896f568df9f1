import net from 'node:net';

/**
 * A TCP proxy in front of a real service that a test can take down and bring back on the same
 * port: the service itself keeps running for other tests.
 */
export class TcpProxy {
  #server?: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #port = 0;

  constructor(private readonly target: URL) {}

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<void> {
    const server = net.createServer(client => {
      const upstream = net.connect(
        Number(this.target.port),
        this.target.hostname,
      );
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>(resolve =>
      server.listen(this.#port, '127.0.0.1', resolve),
    );
    this.#port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  /** Refuses new connections and cuts the open ones (keep-alive sockets included). */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) {
      socket.destroy();
    }
    if (server) {
      await new Promise(resolve => server.close(resolve));
    }
  }
}
