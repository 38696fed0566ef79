import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RouteHandler = (req: Request) => Response | Promise<Response>;

/**
 * Serves App Router route handlers on 127.0.0.1 over node:http the way `next start` does
 * (next/dist/server/web/spec-extension/adapters/next-request.js, send-response.js): the
 * IncomingMessage itself is the Request body (read as the handler pulls it), an AbortSignal fires
 * when the client goes away, the Response's headers are appended to the node response — so
 * `Connection: close` closes the socket — and node's own server timeouts are left as Next leaves
 * them. Routes are keyed "METHOD /path".
 */
export async function serveRoutes(routes: Record<string, RouteHandler>) {
  const sockets = new Set<Socket>();
  let opened = 0;
  const server = createServer((req, res) => void answer(req, res));
  server.on('connection', (socket: Socket) => {
    opened++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const handler = routes[`${req.method} ${url.pathname}`];
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    const controller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    try {
      const request = new Request(url, {
        method: req.method,
        headers,
        signal: controller.signal,
        ...(hasBody ? { body: req as unknown as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
      } as RequestInit);
      const response = await handler(request);
      res.statusCode = response.status;
      response.headers.forEach((value, name) => res.appendHeader(name, value));
      if (response.body && req.method !== 'HEAD') {
        const reader = response.body.getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) res.write(r.value);
      }
      res.end();
    } catch {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  }

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
