import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator, EmulatorOptions } from './index';

export { plaidClient } from './sdk-client';

/**
 * Serves an emulator over node:http on 127.0.0.1 only. `port: 0` picks a free port (tests).
 * `close()` stops the server and the emulator.
 */
export interface EmulatorServer { url: string; port: number; emulator: Emulator; close(): Promise<void> }

export async function startEmulatorServer(options: EmulatorOptions & { port?: number } = {}): Promise<EmulatorServer> {
  const { port = 0, ...emulatorOptions } = options;
  // Loaded here, not at the top: a process importing this module only for `plaidClient` (a
  // benchmark worker talking to an emulator elsewhere) does not load the emulator (~125 MB resident).
  const { createEmulator } = await import('./index');
  const emulator = createEmulator(emulatorOptions);
  const server = createServer((req, res) => void bridge(emulator, req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    emulator,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await emulator.close();
    },
  };
}

async function bridge(emulator: Emulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (Array.isArray(v)) for (const x of v) headers.append(k, x);
      else if (v !== undefined) headers.set(k, v);
    }
    const method = req.method ?? 'GET';
    const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
    });
    const response = await emulator.handle(request);
    const body = Buffer.from(await response.arrayBuffer());
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    out['content-length'] = String(body.length);
    res.writeHead(response.status, out);
    res.end(method === 'HEAD' ? undefined : body);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(e instanceof Error ? e.message : 'emulator error');
  }
}
