// `npm run bench:webhooks [-- --rate 300 --seconds 10]`: drives POST /api/webhooks/plaid of the
// real app on loopback with valid, signed webhooks for a linked item, open-loop at a fixed rate,
// and — in the same run, same rate — GET /api/health as the floor of the server itself.
import { createPrivateKey, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { startEmulatorServer } from '../server/plaid/emulator/server';
import { startApp, signIn, trpcMutation } from './bench/app-process';
import { openLoop } from './bench/latency';
import { result } from './bench/report';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '300' }, seconds: { type: 'string', default: '10' }, port: { type: 'string', default: '3961' } } });
const rate = Number(values.rate);
const count = Math.round(rate * Number(values.seconds));

/** Answers Inngest's event API (`POST /e/<key>`) like the dev server: every event accepted. */
async function startInngestEventStub() {
  let received = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += String(c)));
    req.on('end', () => {
      const events = (JSON.parse(body || '[]') as unknown[]).length;
      received += events;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ids: Array.from({ length: events }, (_, i) => `evt-${received}-${i}`), status: 200 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received: () => received, close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}

async function benchShape(shape: Shape) {
const emu = await startEmulatorServer({ port: 0, rateLimits: false, initialUpdateDelayMs: 0, historicalUpdateDelayMs: 0 });
const app = await startApp({ PLAID_EMULATOR_URL: emu.url, ...shape.env }, Number(values.port));
try {
  const cookie = await signIn(app.base, 'demo@tributary.local', 'tributary-demo');
  const { linkToken } = await trpcMutation<{ linkToken: string }>(app.base, cookie, 'link.createToken', { mode: 'new' });
  const done = emu.emulator.link.completeLink({ linkToken, institutionId: 'ins_109508', username: 'user_good', password: 'pass_good' });
  if (done.status !== 'success') throw new Error('link failed');
  await trpcMutation(app.base, cookie, 'items.link', {
    publicToken: done.publicToken,
    metadata: { institution: done.institution, accounts: done.accounts, link_session_id: done.linkSessionId },
  });
  const plaidItemId = Object.keys(emu.emulator.state.items)[0]!;

  // Sign like Plaid: the emulator's current key, a fresh iat, the SHA-256 of the exact bytes.
  const signer = emu.emulator.state.signingKeys.find((k) => k.expiredAt === null)!;
  const key = createPrivateKey({ key: signer.privateJwk as never, format: 'jwk' });
  const { createHash } = await import('node:crypto');
  const warm = Math.min(300, count);
  const deliveries = await Promise.all(
    Array.from({ length: count + warm }, async (_, i) => {
      const body = JSON.stringify({ webhook_type: 'TRANSACTIONS', webhook_code: 'SYNC_UPDATES_AVAILABLE', item_id: plaidItemId, initial_update_complete: true, historical_update_complete: true, environment: 'sandbox', bench_seq: i }, null, 2);
      const jwt = await new SignJWT({ request_body_sha256: createHash('sha256').update(body).digest('hex') })
        .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: 'JWT' })
        .setIssuedAt()
        .sign(key);
      return { body, jwt };
    }),
  );
  const post = (i: number) =>
    fetch(`${app.base}/api/webhooks/plaid`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'plaid-verification': deliveries[i]!.jwt },
      body: deliveries[i]!.body,
    }).then(async (r) => (await r.arrayBuffer(), r.status));
  const health = () => fetch(`${app.base}/api/health`).then(async (r) => (await r.arrayBuffer(), r.status));

  await openLoop({ rate, count: warm, send: (i) => post(count + i) }); // warm-up, not counted
  const floor = await openLoop({ rate, count, send: health });
  const receiver = await openLoop({ rate, count, send: post });

  const row = (name: string, r: Awaited<ReturnType<typeof openLoop>>) =>
    `${name.padEnd(22)} ${r.throughput.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  max ${r.max.toFixed(1).padStart(7)} ms  ${JSON.stringify(r.statuses)}`;
  console.log(`\nbench:webhooks [${shape.name}] — ${count} requests at ${rate}/s, open loop, loopback; ${shape.describe}`);
  console.log(row('GET /api/health', floor));
  console.log(row('POST /api/webhooks/plaid', receiver));
  console.log(`ratio p99 receiver / health: ${(receiver.p99 / floor.p99).toFixed(2)}×   target: p99 < 25 ms at 300 req/s → ${receiver.p99 < 25 && rate >= 300 ? 'MET' : 'NOT MET'}`);
  const ok = receiver.statuses['200'] ?? 0;
  result('webhooks', `[${shape.name}] answered 200 of ${count} at ${rate}/s offered`, ok, `${receiver.throughput.toFixed(0)} req/s`);
  result('webhooks', `[${shape.name}] p50 / p99 latency (ms)`, `${receiver.p50.toFixed(1)} / ${receiver.p99.toFixed(1)}`, `health p99 ${floor.p99.toFixed(1)} ms; target p99 < 25 ms`);
  result('webhooks', `[${shape.name}] p99 receiver / p99 health`, (receiver.p99 / floor.p99).toFixed(2));
} finally {
  await app.stop();
  await emu.close();
}
}

interface Shape { name: string; describe: string; env: Record<string, string> }
const shapes: Shape[] = [];
const pgServer = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
let dropDb: (() => Promise<void>) | null = null;
if (pgServer) {
  // Production's shape: Postgres, and the durable functions run elsewhere (Inngest): events go to
  // a local stand-in for Inngest's event API, so this measures the receiver itself.
  const { default: postgres } = await import('postgres');
  const admin = postgres(pgServer, { max: 1, onnotice: () => {} });
  const name = `tributary_bench_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(pgServer);
  url.pathname = `/${name}`;
  const inngestStub = await startInngestEventStub();
  dropDb = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    await inngestStub.close();
  };
  shapes.push({
    name: 'production shape',
    describe: 'Postgres, functions on Inngest (event API stand-in on loopback)',
    env: { DATABASE_URL: url.toString(), ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`, BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'), INNGEST_DEV: inngestStub.url },
  });
} else console.log('No BENCH_DATABASE_URL / TEST_DATABASE_URL: the production-shape run (Postgres) is skipped.');
shapes.push({ name: 'embedded default', describe: 'PGlite, embedded runner handling every webhook in the same process', env: {} });
try {
  for (const shape of shapes) await benchShape(shape);
} finally {
  await dropDb?.();
}
