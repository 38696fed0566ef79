// Webhook receiver under load.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres npm run bench:webhooks
//   npm run bench:webhooks -- --shape production --rate 300 --seconds 10 --timeline
//
// Drives POST /api/webhooks/plaid of the real app — the production build started as `npm start`
// starts it (scripts/start.mjs first runs `next build`, ~1–2 min, when the sources are newer than
// `.next`) on 127.0.0.1:3961 — with valid webhooks signed like Plaid's (the emulator's key, a
// fresh iat, the SHA-256 of the pretty-printed bytes, each body unique), open-loop at each rate.
// The receiver is answered by the server's front, ahead of Next (scripts/serve.mjs). In the same
// run and at the same rates (after all webhook phases), GET /api/health gives the floor of a
// request through Next; then the top webhook rate runs again with Next traffic alongside
// (--next-rate). Per phase it prints throughput, p50/p95/p99/max, answers by status, the app's
// CPU per request (from /proc, Linux), and the load generator's own timer lag and CPU, then
// checks that every delivery was stored and handed to the event API.
//
// Needs: `npm ci` and nothing else (no tool to install). Two shapes:
// - production shape, when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a Postgres server on
//   which the bench may create (and afterwards drop) a scratch database: postgres.js, and the
//   durable functions run elsewhere, so `inngest.send` goes to a stand-in for Inngest's event API
//   on loopback. Default rates 150 and 300/s. Target: p99 < 25 ms at 300/s on a 2-core machine.
// - embedded default (always): PGlite, and the embedded runner handling every webhook in the same
//   process. No latency target: what to read is the rate it keeps up with. Default 10, 20, 40/s.
// Options: --rate a,b (both shapes), --seconds, --shape all|production|embedded, --timeline (worst
// latency per 100 ms: a stall shows as a spike), --profile DIR (a V8 CPU profile of the app),
// --node-options='...' (Node/V8 flags for the app, e.g. GC settings to try), --next-rate (requests
// through Next per second alongside the top webhook rate, production shape; default 50, 0 skips).
//
// Reading the figures: the app, Postgres, the emulator, the event stand-in and the generator share
// the machine, and so does anyone else's work (the load average is printed): repeat runs and look
// at the spread and at the health floor of the same run. The generator is its own Node process on
// raw keep-alive sockets (bench/load.ts), and latency runs from each request's scheduled time, so
// queueing counts. Debian's `wrk` (4.1) was not used: it is closed-loop (a slow answer delays the
// next request and hides the queue); wrk2, which is open-loop, is not packaged.
import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { startEmulatorServer } from '@tributary/plaid-emulator/server';
import { startApp, signIn, trpcMutation } from './bench/app-process';
import { type LoadResult, rawRequest, startLoadGenerator } from './bench/load';
import { result } from './bench/report';

const { values } = parseArgs({
  options: {
    rate: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    port: { type: 'string', default: '3961' },
    shape: { type: 'string', default: 'all' },
    connections: { type: 'string', default: '256' },
    profile: { type: 'string' },
    'node-options': { type: 'string' },
    timeline: { type: 'boolean', default: false },
    'next-rate': { type: 'string', default: '50' },
  },
});
const rateList = (list: string) => list.split(',').map(Number);
const seconds = Number(values.seconds);
const TARGET_P99_MS = 25;

/** Answers Inngest's event API (`POST /e/<key>`) like the dev server: every event accepted. */
async function startInngestEventStub() {
  let received = 0;
  let calls = 0;
  const server = createServer((req, res) => {
    calls++;
    let body = '';
    req.on('data', (c: Buffer) => (body += String(c)));
    req.on('end', () => {
      const events = (JSON.parse(body || '[]') as unknown[]).length;
      received += events;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ids: Array.from({ length: events }, (_, i) => `evt-${received}-${i}`), status: 200 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received: () => ({ events: received, calls }), close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}

/** appCpuMs: null where /proc cannot tell; undefined when requests of two kinds shared the app. */
type Phase = LoadResult & { appCpuMs?: number | null };
const row = (name: string, r: Phase) =>
  `${name.padEnd(25)} ${r.throughput.toFixed(0).padStart(4)} req/s  p50 ${r.p50.toFixed(1).padStart(6)}  p95 ${r.p95.toFixed(1).padStart(6)}  p99 ${r.p99.toFixed(1).padStart(6)}  max ${r.max.toFixed(1).padStart(7)} ms  ` +
  `${JSON.stringify(r.statuses)}  ${r.appCpuMs === undefined ? '' : `app CPU ${r.appCpuMs === null ? '?' : (r.appCpuMs / r.requests).toFixed(2)} ms/req  `}` +
  `(generator: timer lag p99 ${r.sendLagP99.toFixed(1)} / max ${r.sendLagMax.toFixed(0)} ms, ${(r.cpuShare * 100).toFixed(0)}% of a core, ${r.connections} conns)`;

interface Shape {
  name: string;
  describe: string;
  env: Record<string, string>;
  /** Offered rates when --rate is not given. */
  rates: number[];
  /** Production's latency target applies; the embedded default is judged on keeping up. */
  target: boolean;
  stored?: () => Promise<number>;
  sent?: () => { events: number; calls: number };
}

async function benchShape(shape: Shape) {
  const rates = values.rate ? rateList(values.rate) : shape.rates;
  const emu = await startEmulatorServer({ port: 0, rateLimits: false, initialUpdateDelayMs: 0, historicalUpdateDelayMs: 0 });
  const nodeOptions = [values['node-options'], values.profile && `--require ${path.resolve(import.meta.dirname, 'bench/cpu-profile.cjs')}`].filter(Boolean).join(' ');
  const extra: Record<string, string> = {
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    ...(values.profile ? { BENCH_PROFILE_DIR: path.resolve(values.profile) } : {}),
  };
  const app = await startApp({ PLAID_EMULATOR_URL: emu.url, ...shape.env, ...extra }, Number(values.port));
  const load = await startLoadGenerator();
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

    // Signed like Plaid: the emulator's current key, a fresh iat, the SHA-256 of the exact bytes
    // (pretty-printed), each body unique so none is a replay. Signed just before each phase: iat
    // must be under five minutes old when it arrives.
    const signer = emu.emulator.state.signingKeys.find((k) => k.expiredAt === null)!;
    const key = createPrivateKey({ key: signer.privateJwk as never, format: 'jwk' });
    const host = new URL(app.base).host;
    let seq = 0;
    const signed = (n: number) =>
      Promise.all(
        Array.from({ length: n }, async () => {
          const body = JSON.stringify({ webhook_type: 'TRANSACTIONS', webhook_code: 'SYNC_UPDATES_AVAILABLE', item_id: plaidItemId, initial_update_complete: true, historical_update_complete: true, environment: 'sandbox', bench_seq: seq++ }, null, 2);
          const jwt = await new SignJWT({ request_body_sha256: createHash('sha256').update(body).digest('hex') })
            .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: 'JWT' })
            .setIssuedAt()
            .sign(key);
          return rawRequest('POST', '/api/webhooks/plaid', host, { 'content-type': 'application/json', 'user-agent': 'Plaid Verifier', 'plaid-verification': jwt }, body);
        }),
      );
    const health = [rawRequest('GET', '/api/health', host)];
    const job = async (requests: Buffer[], rate: number, count: number): Promise<Phase> => {
      const cpu0 = app.cpuMs();
      const r = await load.run({ host: '127.0.0.1', port: Number(new URL(app.base).port), requests, rate, count, maxConnections: Number(values.connections), timeoutMs: 60_000 });
      const cpu1 = app.cpuMs();
      return { ...r, appCpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
    };

    // Warm-up, not counted: JIT, the key cache, the connection pools.
    const warm = Math.min(300, rates[0]! * 3);
    await job(await signed(warm), rates[0]!, warm);

    // What the app burns with no requests (timers, pollers): part of every figure below.
    const idle0 = app.cpuMs();
    await new Promise((r) => setTimeout(r, 3000));
    const idle1 = app.cpuMs();
    const idleShare = idle0 === null || idle1 === null ? null : (idle1 - idle0) / 3000;

    console.log(`\nbench:webhooks [${shape.name}] — ${seconds} s per rate, open loop, loopback; ${shape.describe}`);
    console.log(`machine: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} before the run (others' work shares these cores); app CPU with no requests coming in (background work, e.g. the embedded runner's backlog): ${idleShare === null ? '?' : `${(idleShare * 100).toFixed(1)}% of a core`}`);
    const storedBefore = (await shape.stored?.()) ?? 0;
    const sentBefore = shape.sent?.() ?? { events: 0, calls: 0 };
    // Every webhook phase first, then Next's floor phases: each request through Next leaves a
    // Request whose AbortSignal undici unhooks by finalizer, and those run in one burst at the
    // next major GC — 70–120 ms, with the GC, for the ~3,000 of a 10 s floor phase (--profile) —
    // which would land in whichever phase came next. The receiver is served by the front
    // (scripts/serve.mjs), not Next.
    const receivers: Phase[] = [];
    const loads: number[] = [];
    for (const rate of rates) {
      const count = Math.round(rate * seconds);
      receivers.push(await job(await signed(count), rate, count));
      loads.push(loadavg()[0]!);
    }
    await job(health, rates[0]!, warm);
    const floors: Phase[] = [];
    for (const rate of rates) floors.push(await job(health, rate, Math.round(rate * seconds)));
    let offered = 0;
    for (const [i, rate] of rates.entries()) {
      const count = Math.round(rate * seconds);
      offered += count;
      const [floor, receiver] = [floors[i]!, receivers[i]!];
      console.log(`at ${rate}/s offered (${count} requests; load average after the webhooks ${loads[i]!.toFixed(1)}):`);
      console.log(`  ${row('GET /api/health', floor)}`);
      console.log(`  ${row('POST /api/webhooks/plaid', receiver)}`);
      if (values.timeline) {
        // Worst latency per 100 ms of the run: a stall shows as a spike, a slow drift as a ramp.
        for (const [name, r] of [['health', floor], ['webhooks', receiver]] as const) {
          console.log(`  timeline ${name} from ${new Date(r.startedAt).toISOString().slice(11, 23)} (max ms per 100 ms): ${r.timeline.map((v) => v.toFixed(0)).join(' ')}`);
        }
      }
      const all200 = (receiver.statuses['200'] ?? 0) === count;
      const verdict = shape.target
        ? `target p99 < ${TARGET_P99_MS} ms with every answer 200: ${receiver.p99 < TARGET_P99_MS && all200 ? 'met' : 'NOT met'}${rate < 300 ? ' (at this rate; the target is at 300/s)' : ''}`
        : `kept up (every answer 200, throughput within 5% of offered, p99 under 1 s): ${all200 && receiver.throughput >= 0.95 * rate && receiver.p99 < 1000 ? 'yes' : 'NO'}`;
      console.log(`  p99 receiver / health ${(receiver.p99 / floor.p99).toFixed(1)}×; ${verdict}`);
      result('webhooks', `[${shape.name}] ${rate}/s: 200s / throughput`, `${receiver.statuses['200'] ?? 0}/${count}`, `${receiver.throughput.toFixed(0)} req/s`);
      result('webhooks', `[${shape.name}] ${rate}/s: p50 / p99 / max (ms)`, `${receiver.p50.toFixed(1)} / ${receiver.p99.toFixed(1)} / ${receiver.max.toFixed(0)}`, `health p50 / p99 ${floor.p50.toFixed(1)} / ${floor.p99.toFixed(1)} ms${shape.target ? `; target p99 < ${TARGET_P99_MS} ms at 300/s` : ''}`);
    }
    // Production serves pages and tRPC from the same process: the top webhook rate again, with
    // requests through Next alongside from a second generator. Their garbage and finalizers land
    // in the receiver's tail; this says how much at a given page rate (--next-rate, 0 to skip).
    const nextRate = Number(values['next-rate']);
    if (shape.target && nextRate > 0) {
      const rate = rates[rates.length - 1]!;
      const count = Math.round(rate * seconds);
      offered += count;
      const webhooks = await signed(count);
      const side = await startLoadGenerator();
      try {
        const port = Number(new URL(app.base).port);
        const [receiver, pages] = await Promise.all([
          load.run({ host: '127.0.0.1', port, requests: webhooks, rate, count, maxConnections: Number(values.connections), timeoutMs: 60_000 }),
          side.run({ host: '127.0.0.1', port, requests: health, rate: nextRate, count: Math.round(nextRate * seconds), maxConnections: 64, timeoutMs: 60_000 }),
        ]);
        console.log(`at ${rate}/s webhooks with ${nextRate}/s GET /api/health through Next alongside:`);
        console.log(`  ${row('GET /api/health', pages)}`);
        console.log(`  ${row('POST /api/webhooks/plaid', receiver)}`);
        if (values.timeline) console.log(`  timeline webhooks from ${new Date(receiver.startedAt).toISOString().slice(11, 23)} (max ms per 100 ms): ${receiver.timeline.map((v) => v.toFixed(0)).join(' ')}`);
        result('webhooks', `[${shape.name}] ${rate}/s + ${nextRate}/s via Next: p50 / p99 / max (ms)`, `${receiver.p50.toFixed(1)} / ${receiver.p99.toFixed(1)} / ${receiver.max.toFixed(0)}`, `${receiver.statuses['200'] ?? 0}/${count} answered 200`);
      } finally {
        await side.stop();
      }
    }
    // Every accepted webhook must be stored and handed on: the receiver cannot buy speed by skipping
    // either. Hand-offs trail the answers by up to the sender's grouping interval.
    await new Promise((r) => setTimeout(r, 500));
    if (shape.stored) console.log(`stored: ${(await shape.stored()) - storedBefore} new plaid_webhooks rows for ${offered} deliveries`);
    if (shape.sent) {
      const sent = shape.sent();
      console.log(`handed to Inngest's event API: ${sent.events - sentBefore.events} events for ${offered} deliveries, in ${sent.calls - sentBefore.calls} calls`);
    }
  } finally {
    await load.stop();
    await app.stop();
    await emu.close();
  }
}

const shapes: Shape[] = [];
const pgServer = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
let cleanUp: (() => Promise<void>) | null = null;
if (values.shape !== 'embedded') {
  if (pgServer) {
    const { default: postgres } = await import('postgres');
    const admin = postgres(pgServer, { max: 1, onnotice: () => {} });
    const name = `tributary_bench_${randomBytes(4).toString('hex')}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(pgServer);
    url.pathname = `/${name}`;
    const scratch = postgres(url.toString(), { max: 1, onnotice: () => {} });
    const inngestStub = await startInngestEventStub();
    cleanUp = async () => {
      await scratch.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      await inngestStub.close();
    };
    shapes.push({
      name: 'production shape',
      describe: 'Postgres, functions on Inngest (event API stand-in on loopback)',
      rates: [150, 300],
      target: true,
      env: { DATABASE_URL: url.toString(), ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`, BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'), INNGEST_DEV: inngestStub.url },
      stored: async () => Number((await scratch`select count(*)::int as n from plaid_webhooks`)[0]!.n),
      sent: () => inngestStub.received(),
    });
  } else console.log('No BENCH_DATABASE_URL / TEST_DATABASE_URL: the production-shape run (Postgres) is skipped.');
}
if (values.shape !== 'production') shapes.push({ name: 'embedded default', describe: 'PGlite, embedded runner handling every webhook in the same process', env: {}, rates: [10, 20, 40], target: false });
try {
  for (const shape of shapes) await benchShape(shape);
} finally {
  await cleanUp?.();
}
