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
 * A listener that can drain: until `drain()` it passes every request on and keeps track of those
 * in flight; after, it answers new requests 503 with `Connection: close` (a load balancer takes
 * the instance out; keep-alive clients reconnect elsewhere), except paths starting with one of
 * `exempt()` — the mounted emulator, which the app's own jobs call while they finish their step.
 * `drain()` resolves once the requests in flight have finished.
 */
export function drainable(listener, exempt = () => []) {
  const inFlight = new Set();
  let draining = false;
  let drained;
  const handle = (req, res) => {
    if (draining) {
      const path = req.url?.split('?', 1)[0] ?? '';
      if (exempt().some((prefix) => path.startsWith(prefix))) return listener(req, res);
      res.writeHead(503, { 'Content-Type': 'application/json', Connection: 'close', 'Retry-After': '5' });
      res.end('{"error":"The server is shutting down"}');
      return;
    }
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (draining && inFlight.size === 0) drained?.();
    });
    listener(req, res);
  };
  return {
    handle,
    inFlight: () => inFlight.size,
    drain() {
      draining = true;
      // Answers not yet begun tell their client to close the connection rather than reuse it.
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      return inFlight.size === 0 ? Promise.resolve() : new Promise((resolve) => (drained = resolve));
    },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());

/**
 * Graceful stop on SIGTERM and SIGINT, one log line per phase: refuse new requests (503) and let
 * those in flight finish; stop the embedded Inngest runner, whose steps in flight may finish and
 * whose claims are then released at once; stop listening and cut what is left; close Next; then
 * the process's own stop (Kinesis, kinesalite, the mounted emulator, the database, the log) and
 * exit 0. Requests and steps share one budget, SHUTDOWN_GRACE_MS (server/env.ts); a second signal
 * exits at once. `proc()` is the process container boot filled (server/process/container.ts).
 */
export function installGracefulStop({ server, front, proc = () => globalThis.__tributary, closeNext = async () => {}, exit = (code) => process.exit(code) }) {
  let stopping = false;
  const onSignal = (signal) => {
    if (stopping) {
      console.error(`Tributary: second ${signal}, exiting at once`);
      return exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    stop(signal).then(
      () => exit(0),
      (err) => {
        console.error('Tributary: shutdown failed', err);
        exit(1);
      },
    );
  };

  async function stop(signal) {
    const c = proc();
    const graceMs = c?.env?.SHUTDOWN_GRACE_MS ?? 10_000;
    const log = c?.log ?? { info: (fields, message) => console.log(message, JSON.stringify(fields)) };
    const started = Date.now();
    const deadline = started + graceMs;
    // Whatever hangs past the grace (a database that will not close), the process still ends.
    setTimeout(() => {
      console.error('Tributary: shutdown did not finish in time; exiting');
      exit(1);
    }, graceMs + 10_000).unref();

    const inFlight = front.inFlight();
    log.info({ phase: 'http', signal, graceMs, inFlight }, 'shutdown: refusing new requests (503), finishing those in flight');
    server.closeIdleConnections();
    await Promise.race([front.drain(), sleep(deadline - Date.now())]);
    log.info({ phase: 'http', unfinished: front.inFlight(), ms: Date.now() - started }, 'shutdown: requests in flight done');

    await c?.shutdown?.stopJobs(Math.max(0, deadline - Date.now()));

    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
    await closeNext();
    log.info({ phase: 'http', ms: Date.now() - started }, 'shutdown: stopped listening');

    await c?.shutdown?.close();
  }

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return onSignal;
}

/**
 * Prepares Next and listens at once, as `next start` does: boot (instrumentation.ts: migrations,
 * runners, then the front routes) runs meanwhile, and until it has registered the front routes
 * Next's own routes serve those paths, after waiting for boot. SIGTERM/SIGINT stop gracefully
 * (installGracefulStop).
 */
export async function serve({ dir, hostname, port }) {
  // As `next start` does: this server serves the production build.
  process.env.NODE_ENV = 'production';
  const { default: next } = await import('next');
  const app = next({ dir, hostname, port, dev: false });
  await app.prepare();
  const proc = () => globalThis.__tributary;
  const front = drainable(frontListener(() => proc()?.frontRoutes, app.getRequestHandler()), () => proc()?.drainExempt ?? []);
  const server = createServer(front.handle);
  server.on('error', (err) => {
    console.error(`Tributary could not listen on ${hostname}:${port}:`, err.message);
    process.exit(1);
  });
  await new Promise((resolve) => server.listen(port, hostname, resolve));
  console.log(`Tributary ready on http://${hostname}:${port}`);
  installGracefulStop({ server, front, proc, closeNext: () => app.close() });
  return server;
}
