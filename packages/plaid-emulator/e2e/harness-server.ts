import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * A throwaway web server on 127.0.0.1:0 for the Link e2e specs: the harness page (the real
 * react-plaid-link bundled with esbuild), and the emulator mounted under `/emu` — a prefix, as the
 * app mounts it under `/api/plaid-emulator`.
 */
export const MOUNT = '/emu';
const CDN_SCRIPT = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';

export interface Harness {
  origin: string;
  emulatorBase: string;
  close(): Promise<void>;
}

export async function bundleHarness(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./harness-app.tsx', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    jsx: 'automatic',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/**
 * `standIn: 'tag'` renders the stand-in script plus Plaid's CDN URL as an inert tag (what the app
 * does); `'none'` renders neither, for specs that route the CDN URL to the stand-in instead.
 */
function page(standIn: 'tag' | 'none'): string {
  const head = standIn === 'tag'
    ? `<script type="text/plain" src="${CDN_SCRIPT}"></script>\n<script src="${MOUNT}/link-initialize.js"></script>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Link harness</title>${head}</head>
<body><div id="root"></div><script src="/harness.js"></script></body></html>`;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(origin + (req.url ?? '/'), { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** `emulator` answers requests whose path starts with the mount (full URL kept). */
export async function startHarness(emulator: (req: Request) => Promise<Response>): Promise<Harness> {
  const script = await bundleHarness();
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    void (async () => {
      if (path === MOUNT || path.startsWith(`${MOUNT}/`)) return send(res, await emulator(await toRequest(req, origin)));
      if (path === '/harness.js') return send(res, new Response(script, { headers: { 'content-type': 'text/javascript' } }));
      if (path === '/' || path === '/oauth-return' || path === '/routed') {
        return send(res, new Response(page(path === '/routed' ? 'none' : 'tag'), { headers: { 'content-type': 'text/html' } }));
      }
      return send(res, new Response('not found', { status: 404 }));
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    emulatorBase: origin + MOUNT,
    close: () => new Promise((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
