import { connect, createServer, type AddressInfo } from 'node:net';

/**
 * Runs inside the box's network namespace, which has only a loopback device: it
 * listens on 127.0.0.1:<port> there (0: any free port) and carries each
 * connection to the egress proxy's Unix socket outside (a file path crosses
 * namespaces; a route does not). It enforces nothing itself: the proxy on the
 * other end decides every host. Resolves to the port it listens on.
 */
export async function startForwarder(opts: { port: number; socketPath: string }): Promise<number> {
  const server = createServer((client) => {
    const upstream = connect(opts.socketPath);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', resolve);
  });
  return (server.address() as AddressInfo).port;
}
