import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RouteHandler, toNodeHandler } from './node-route';

let server: Server | undefined;
async function serve(handler: RouteHandler) {
  server = createServer((req, res) => void toNodeHandler(handler)(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server = undefined;
});

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

  it('closes the connection when the answer says Connection: close', async () => {
    const base = await serve(() => new Response('bye', { status: 413, headers: { connection: 'close' } }));
    const res = await fetch(base, { method: 'POST', body: 'x' });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
  });

  it('answers a bare 500 when the handler throws', async () => {
    const base = await serve(() => {
      throw new Error('boom');
    });
    const res = await fetch(base);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
  });
});
