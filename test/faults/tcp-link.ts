import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP link on 127.0.0.1 in front of a local server (kinesalite): what the app connects to
 * instead of the server itself, so a test can take the server off the network without touching
 * it or the app. `cut()` stops listening and resets every open connection — requests in flight
 * fail, new ones are refused (ECONNREFUSED), as when the service is unreachable; `restore()`
 * listens again on the same port. The server behind keeps its state throughout.
 */
export async function startTcpLink(targetPort: number) {
  /** Open connections: the app's side and kinesalite's. */
  const open = new Set<[Socket, Socket]>();
  const counts = { connections: 0, cutConnections: 0, cuts: 0 };
  const server = createServer((client) => {
    counts.connections++;
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    open.add(pair);
    for (const s of pair) {
      s.on('close', () => open.delete(pair));
      s.on('error', () => pair.forEach((x) => x.destroy()));
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  let up = true;

  function resetAll() {
    for (const [client, upstream] of open) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    open.clear();
  }

  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    isUp: () => up,
    /** Unreachable from now on: the port refuses connections and open ones are reset. */
    async cut() {
      if (!up) return;
      up = false;
      counts.cuts++;
      counts.cutConnections += open.size;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      resetAll();
      await closed;
    },
    /** Reachable again, on the same port. */
    async restore() {
      if (up) return;
      await listen(port);
      up = true;
    },
    async close() {
      resetAll();
      if (up) await new Promise<void>((resolve) => server.close(() => resolve()));
      up = false;
    },
  };
}
export type TcpLink = Awaited<ReturnType<typeof startTcpLink>>;
