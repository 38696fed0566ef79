// The production server: one node:http server on 127.0.0.1 in this process, Next's request
// handler behind it (a Next custom server), and in front a few routes the app answers without
// Next's pipeline — the webhook receiver, registered at boot (server/http/front-routes.ts).
// Why (npm run bench:webhooks, 300 webhooks/s on 2 cores): through Next the receiver's p99 was
// 13–120 ms over seven runs, from Next's per-request work and garbage; answered here, 5.0–8.4 ms.
import { createServer } from 'node:http';

/**
 * The request listener: a front route when one is registered for "METHOD /path", else Next.
 * `frontRoutes` is read per request, so routes registered after the listener exists are seen.
 */
export function frontListener(frontRoutes, nextHandler) {
  return (req, res) => {
    const path = req.url?.split('?', 1)[0];
    const route = frontRoutes()?.get(`${req.method} ${path}`);
    const done = route ? route(req, res) : nextHandler(req, res);
    done.catch((err) => {
      console.error(`Failed to handle ${req.method} ${path}`, err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  };
}

/**
 * Prepares Next and listens at once, as `next start` does: boot (instrumentation.ts: migrations,
 * runners, then the front routes) runs meanwhile, and until it has registered the front routes
 * Next's own routes serve those paths, after waiting for boot. SIGTERM/SIGINT stop accepting, let
 * requests in flight finish (at most 5 s) and exit.
 */
export async function serve({ dir, hostname, port }) {
  // As `next start` does: this server serves the production build.
  process.env.NODE_ENV = 'production';
  const { default: next } = await import('next');
  const app = next({ dir, hostname, port, dev: false });
  await app.prepare();
  const server = createServer(frontListener(() => globalThis.__tributary?.frontRoutes, app.getRequestHandler()));
  server.on('error', (err) => {
    console.error(`Tributary could not listen on ${hostname}:${port}:`, err.message);
    process.exit(1);
  });
  await new Promise((resolve) => server.listen(port, hostname, resolve));
  console.log(`Tributary ready on http://${hostname}:${port}`);

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    const code = signal === 'SIGINT' ? 130 : 143;
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(code);
    }, 5_000).unref();
    server.close(() => void app.close().finally(() => process.exit(code)));
    server.closeIdleConnections();
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
  return server;
}
