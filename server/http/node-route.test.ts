import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RouteHandler, toNodeHandler } from './node-route';

let server: Server | undefined;
let errors: unknown[] = [];
async function serve(handler: RouteHandler) {
  errors = [];
  const node = toNodeHandler(handler, (err) => errors.push(err));
  server = createServer((req, res) => void node(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server = undefined;
});

/** Writes one raw request and resolves with everything the server sent once it closes the socket. */
function rawExchange(base: string, request: string, waitMs = 2000): Promise<{ text: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closedByServer: false });
    }, waitMs);
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('end', () => {
      clearTimeout(timer);
      resolve({ text, closedByServer: true });
    });
    socket.on('error', () => undefined);
    socket.write(request);
  });
}

describe('a route handler served from node:http', () => {
  it('gets the method, URL, headers and body, and its JSON answer goes out whole with a Content-Length', async () => {
    const base = await serve(async (req) => {
      const body = await req.text();
      return Response.json({ method: req.method, path: new URL(req.url).pathname, search: new URL(req.url).search, type: req.headers.get('content-type'), body }, { status: 201, headers: { 'x-kept': 'yes' } });
    });
    const res = await fetch(`${base}/api/thing?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-kept')).toBe('yes');
    expect(res.headers.get('content-length')).not.toBeNull();
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(await res.json()).toEqual({ method: 'POST', path: '/api/thing', search: '?x=1', type: 'application/json', body: '{"a":1}' });
  });

  it('fills in x-forwarded-for with the peer address when no proxy set it, and keeps a proxy\'s', async () => {
    const base = await serve((req) => new Response(req.headers.get('x-forwarded-for')));
    expect(await fetch(base).then((r) => r.text())).toBe('127.0.0.1');
    expect(await fetch(base, { headers: { 'x-forwarded-for': '203.0.113.9' } }).then((r) => r.text())).toBe('203.0.113.9');
  });

  it('streams a body of several chunks in order', async () => {
    const parts = ['one,', 'two,', 'three'];
    const base = await serve(() => new Response(new ReadableStream({
      start(controller) {
        for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
        controller.close();
      },
    })));
    expect(await fetch(base).then((r) => r.text())).toBe('one,two,three');
  });

  it('closes the socket after an answer that says Connection: close, and keeps it open otherwise', async () => {
    const request = 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\n\r\nx';
    const refuse = await serve(() => new Response('bye', { status: 413, headers: { connection: 'close' } }));
    const refused = await rawExchange(refuse, request);
    expect(refused.text).toMatch(/^HTTP\/1\.1 413/);
    expect(refused.closedByServer).toBe(true);
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const accept = await serve(() => new Response('ok'));
    const kept = await rawExchange(accept, request, 300);
    expect(kept.text).toMatch(/^HTTP\/1\.1 200/);
    expect(kept.closedByServer).toBe(false);
  });

  it('answers a bare 500 when the handler throws, and hands the error to onError', async () => {
    const base = await serve(() => {
      throw new Error('boom');
    });
    const res = await fetch(base);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(errors).toEqual([new Error('boom')]);
  });

  it('cuts an answer whose body fails midway instead of ending it as if whole', async () => {
    const base = await serve(() => new Response(new ReadableStream({
      pull(controller) {
        if (!this.sent) {
          this.sent = true;
          controller.enqueue(new TextEncoder().encode('partial,'));
          controller.enqueue(new TextEncoder().encode('more,'));
        } else controller.error(new Error('source failed'));
      },
      sent: false,
    } as UnderlyingDefaultSource<Uint8Array> & { sent: boolean })));
    // The client sees a failed exchange (cut before or after the head), never a short 200 body.
    await expect(fetch(base).then((r) => r.text())).rejects.toThrow();
    expect(errors).toEqual([new Error('source failed')]);
  });
});
