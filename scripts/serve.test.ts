import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { frontListener } from './serve.mjs';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const answer = (who: string): NodeHandler => async (req, res) => {
  res.end(`${who} ${req.method} ${req.url}`);
};

let server: Server | undefined;
async function listen(routes: () => Map<string, NodeHandler> | undefined) {
  server = createServer(frontListener(routes, answer('next')));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server = undefined;
});

describe('the production front', () => {
  it('answers a registered "METHOD /path" itself, query string or not, and hands everything else to Next', async () => {
    const base = await listen(() => new Map([['POST /api/webhooks/plaid', answer('front')]]));
    const text = (path: string, method = 'POST') => fetch(`${base}${path}`, { method }).then((r) => r.text());
    expect(await text('/api/webhooks/plaid')).toBe('front POST /api/webhooks/plaid');
    expect(await text('/api/webhooks/plaid?source=plaid')).toBe('front POST /api/webhooks/plaid?source=plaid');
    expect(await text('/api/webhooks/plaid', 'GET')).toBe('next GET /api/webhooks/plaid');
    expect(await text('/api/webhooks/plaid/')).toBe('next POST /api/webhooks/plaid/');
    expect(await text('/api/webhooks/plaidx')).toBe('next POST /api/webhooks/plaidx');
    expect(await text('/dashboard', 'GET')).toBe('next GET /dashboard');
  });

  it('serves everything through Next until routes are registered, and sees them once they are', async () => {
    let routes: Map<string, NodeHandler> | undefined;
    const base = await listen(() => routes);
    expect(await fetch(`${base}/api/webhooks/plaid`, { method: 'POST' }).then((r) => r.text())).toBe('next POST /api/webhooks/plaid');
    routes = new Map([['POST /api/webhooks/plaid', answer('front')]]);
    expect(await fetch(`${base}/api/webhooks/plaid`, { method: 'POST' }).then((r) => r.text())).toBe('front POST /api/webhooks/plaid');
  });

  it('answers 500 when a route fails, and keeps serving', async () => {
    const failing: NodeHandler = async () => {
      throw new Error('boom');
    };
    const base = await listen(() => new Map([['POST /fails', failing]]));
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const res = await fetch(`${base}/fails`, { method: 'POST' });
      expect(res.status).toBe(500);
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
    expect(await fetch(`${base}/after`).then((r) => r.text())).toBe('next GET /after');
  });
});
