import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type RouteHandler, toNodeHandler } from '../../server/http/node-route';

/**
 * Serves App Router route handlers on 127.0.0.1 over node:http through the adapter the app's
 * front uses (toNodeHandler), with node's own server timeouts left as Next leaves them. Routes
 * are keyed "METHOD /path".
 */
export async function serveRoutes(routes: Record<string, RouteHandler>) {
  const sockets = new Set<Socket>();
  let opened = 0;
  const failed = (err: unknown) => console.error('route failed', err);
  const handlers = new Map(Object.entries(routes).map(([key, handler]) => [key, toNodeHandler(handler, failed)]));
  const server = createServer((req, res) => {
    const handler = handlers.get(`${req.method} ${(req.url ?? '/').split('?')[0]}`);
    if (handler) void handler(req, res);
    else res.writeHead(404).end();
  });
  server.on('connection', (socket: Socket) => {
    opened++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Sockets open right now, and accepted since start. */
    openConnections: () => sockets.size,
    acceptedConnections: () => opened,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
