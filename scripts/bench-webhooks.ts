// `npm run bench:webhooks [-- --rate 300 --seconds 10]`: drives POST /api/webhooks/plaid of the
// real app on loopback with valid, signed webhooks for a linked item, open-loop at a fixed rate,
// and — in the same run, same rate — GET /api/health as the floor of the server itself.
import { createPrivateKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { startEmulatorServer } from '../server/plaid/emulator/server';
import { startApp, signIn, trpcMutation } from './bench/app-process';
import { openLoop } from './bench/latency';
import { result } from './bench/report';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '300' }, seconds: { type: 'string', default: '10' }, port: { type: 'string', default: '3961' } } });
const rate = Number(values.rate);
const count = Math.round(rate * Number(values.seconds));

const emu = await startEmulatorServer({ port: 0, rateLimits: false, initialUpdateDelayMs: 0, historicalUpdateDelayMs: 0 });
const app = await startApp({ PLAID_EMULATOR_URL: emu.url }, Number(values.port));
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
  console.log(`\nbench:webhooks — ${count} requests at ${rate}/s, open loop, loopback, embedded defaults (PGlite, runner on)`);
  console.log(row('GET /api/health', floor));
  console.log(row('POST /api/webhooks/plaid', receiver));
  console.log(`ratio p99 receiver / health: ${(receiver.p99 / floor.p99).toFixed(2)}×   target: p99 < 25 ms at 300 req/s → ${receiver.p99 < 25 && rate >= 300 ? 'MET' : 'NOT MET'}`);
  result('webhooks', `throughput at ${rate}/s offered (req/s)`, receiver.throughput.toFixed(0));
  result('webhooks', 'p50 / p99 latency (ms)', `${receiver.p50.toFixed(1)} / ${receiver.p99.toFixed(1)}`, `health p99 ${floor.p99.toFixed(1)} ms`);
  result('webhooks', 'p99 receiver / p99 health', (receiver.p99 / floor.p99).toFixed(2));
} finally {
  await app.stop();
  await emu.close();
}
