import type { IncomingMessage, ServerResponse } from 'node:http';

/** An App Router route handler: a Web Request in, a Web Response out. */
export type RouteHandler = (req: Request) => Response | Promise<Response>;
/** The same handler as node:http calls it. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Serves a route handler from node:http as `next start` serves it
 * (next/dist/server/web/spec-extension/adapters/next-request.js, send-response.js): the
 * IncomingMessage itself is the Request body (read as the handler pulls it, and failing if the
 * client goes away mid-body), and the Response's headers are appended to the node response — so
 * `Connection: close` closes the socket. As Next does, a missing `x-forwarded-for` is filled in
 * with the peer's address. A handler that throws gets a bare 500 and its error goes to `onError`
 * (the caller's logger); an answer that fails midway is cut, not ended as if whole.
 *
 * The Request carries no AbortSignal: undici unhooks a Request's signal through a finalizer, and
 * after a major GC thousands of those ran in one go: with the GC, stalls of 70–120 ms at 300
 * requests/s (bench:webhooks --profile). A route that must know of a client gone early watches its body.
 */
export function toNodeHandler(handler: RouteHandler, onError: (err: unknown, req: IncomingMessage) => void): NodeHandler {
  return async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    if (!headers.has('x-forwarded-for') && req.socket.remoteAddress) headers.set('x-forwarded-for', req.socket.remoteAddress);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    try {
      const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`), {
        method: req.method,
        headers,
        ...(hasBody ? { body: req as unknown as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
      } as RequestInit);
      const response = await handler(request);
      res.statusCode = response.status;
      response.headers.forEach((value, name) => res.appendHeader(name, value));
      if (!response.body || req.method === 'HEAD') {
        res.end();
        return;
      }
      // A body read in one chunk (a JSON answer) goes out with a Content-Length, not chunked.
      const reader = response.body.getReader();
      let chunk = await reader.read();
      for (let next = chunk.done ? chunk : await reader.read(); !next.done; next = await reader.read()) {
        res.write(chunk.value);
        chunk = next;
      }
      res.end(chunk.value);
    } catch (err) {
      onError(err, req);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  };
}
