// A server process for the graceful-stop test (graceful-stop.test.ts), run as a child with tsx.
// It is `npm start` without Next: the same process container, the real shutdown
// (server/process/shutdown.ts), the production front's drain and stop (scripts/serve.mjs) on a
// node:http server on 127.0.0.1, PGlite on disk under DATA_DIR, kinesalite and the mounted
// emulator — and an embedded runner with one three-step function whose middle step takes
// FIXTURE_STEP_MS. A plain handler stands in for Next: GET /slow?ms=N answers after N ms.
// Prints one JSON line per fixture event on stdout ({ fixture: ... }), among the app's log lines.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmbeddedFetch, createRunner } from '@tributary/inngest-embedded';
import { Inngest } from 'inngest';
import { getDb } from '../../db/client';
import { runMigrations } from '../../db/migrate';
import { drainable, frontListener, installGracefulStop } from '../../scripts/serve.mjs';
import { env } from '../../server/env';
import { logger } from '../../server/logger';
import { EMULATOR_MOUNT, mountedEmulator } from '../../server/plaid/mounted-emulator';
import { processContainer } from '../../server/process/container';
import { installProcessShutdown } from '../../server/process/shutdown';
import { getKinesis } from '../../server/streams/app-kinesis';

const say = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stepMs = Number(process.env.FIXTURE_STEP_MS ?? 1000);

// What boot() does, minus Next's and the app's functions.
const container = processContainer();
container.bootedAt = Date.now();
env();
installProcessShutdown();
await runMigrations(getDb());
mountedEmulator();
container.drainExempt.push(`${EMULATOR_MOUNT}/`);
await getKinesis();

const client = new Inngest({ id: 'shutdown-fixture', isDev: true, fetch: createEmbeddedFetch('shutdown-fixture'), logger: logger() });
const threeSteps = client.createFunction({ id: 'three-steps', triggers: [{ event: 'test/three-steps' }] }, async ({ step }) => {
  const first = await step.run('first', () => ({ pid: process.pid }));
  const inFlight = await step.run('in-flight', async () => {
    say({ fixture: 'step-started', step: 'in-flight' });
    await sleep(stepMs);
    return { pid: process.pid };
  });
  const last = await step.run('last', () => ({ pid: process.pid }));
  return { first: first.pid, inFlight: inFlight.pid, last: last.pid };
});
const runner = createRunner({ db: getDb().db, client, functions: [threeSteps], log: logger(), pollIntervalMs: 100 });
await runner.start();
container.runner = Promise.resolve(runner);

const next = async (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/slow') await sleep(Number(url.searchParams.get('ms') ?? 0));
  res.end(url.pathname.startsWith(EMULATOR_MOUNT) ? 'emulator' : 'next');
};
const front = drainable(frontListener(() => container.frontRoutes, next), () => container.drainExempt);
const server = createServer(front.handle);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
installGracefulStop({ server, front });
say({ fixture: 'listening', port: (server.address() as AddressInfo).port });

if (process.env.FIXTURE_SEND) {
  const { runIds } = await runner.send({ name: 'test/three-steps', data: {} });
  say({ fixture: 'sent', runId: runIds[0] });
}
if (process.env.FIXTURE_WAIT_RUN) {
  const started = Date.now();
  const run = await runner.waitForRun(process.env.FIXTURE_WAIT_RUN, { timeoutMs: 20_000 });
  say({ fixture: 'run-finished', status: run.status, output: run.output, ms: Date.now() - started });
}
