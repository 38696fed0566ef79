import { createPrivateKey, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as health } from '../../app/api/health/route';
import { plaidItems } from '../../db/schema';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { serveRoutes } from '../../test/support/route-server';
import { createKeyCache, type PlaidWebhookKey } from '../plaid/webhook-verify';
import {
  type AttackConnection, forgedSignatures, percentile, runAttackers, signWebhook, statusCounts, type Timed, timed,
} from '../../test/support/webhook-attack-clients';
import { createPlaidWebhookRoute, DEFAULT_WEBHOOK_LIMITS, type WebhookRouteLimits } from './receive-route';

/**
 * The endpoint stays responsive: while slow-loris connections trickle bodies, oversized bodies
 * pour in and a burst of forged signatures arrives, the real route (app/api/webhooks/plaid's
 * handler, served over node:http through the adapter the production front uses) keeps answering
 * valid signed webhooks and GET /api/health — every one 200, p99 under a second on this noisy
 * machine — and the attacking connections are cut (408 / 413 / 503, then closed) instead of
 * piling up.
 */

let h: Harness;
let plaidItemId: string;
let signer: { kid: string; privateKey: KeyObject };
let getKey: (kid: string) => Promise<PlaidWebhookKey>;
/** Calls to Plaid's /webhook_verification_key/get (the cache's misses). */
let plaidKeyCalls = 0;

beforeAll(async () => {
  h = await createHarness();
  const user = await h.createUser();
  const { item } = await h.linkBank(user);
  plaidItemId = (await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id)))[0]!.plaidItemId;
  const key = h.emu.emulator.state.signingKeys.find((k) => k.expiredAt === null)!;
  signer = { kid: key.kid, privateKey: createPrivateKey({ key: key.privateJwk as never, format: 'jwk' }) };
  getKey = createKeyCache(async (kid) => {
    plaidKeyCalls++;
    return (await h.emu.plaid.webhookVerificationKeyGet({ key_id: kid })).data.key as unknown as PlaidWebhookKey;
  });
});
afterAll(() => h.close());

/** Forged requests in flight at once during the burst. */
const FORGED_BATCH = 25;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const webhookBody = (seq: number) =>
  JSON.stringify({ webhook_type: 'TRANSACTIONS', webhook_code: 'SYNC_UPDATES_AVAILABLE', item_id: plaidItemId, initial_update_complete: true, historical_update_complete: true, environment: 'sandbox', seq }, null, 2);

interface Scenario {
  limits: WebhookRouteLimits;
  seconds: number;
  slowLoris: number;
  /** Connections of each oversized kind (declared 10 MB; chunked, no length). */
  oversized: number;
  forged: number;
  reconnectMs: number;
}

/** Runs the attack against a fresh route and, meanwhile, legit traffic every 50 ms. */
async function underAttack(s: Scenario) {
  const route = createPlaidWebhookRoute(() => ({ db: h.db, getKey, send: h.deps.send, log: silentLog }), s.limits);
  const app = await serveRoutes({ 'POST /api/webhooks/plaid': route, 'GET /api/health': health });
  const port = Number(new URL(app.base).port);
  const keyCallsBefore = plaidKeyCalls;
  const post = (body: string, jwt: string) =>
    fetch(`${app.base}/api/webhooks/plaid`, { method: 'POST', headers: { 'content-type': 'application/json', 'plaid-verification': jwt }, body });

  const attackers = [
    runAttackers(port, 'slow-loris', s.slowLoris, s.reconnectMs),
    runAttackers(port, 'oversized-declared', s.oversized, s.reconnectMs),
    runAttackers(port, 'oversized-streamed', s.oversized, s.reconnectMs),
  ];
  let maxOpen = 0;
  const sampler = setInterval(() => {
    maxOpen = Math.max(maxOpen, app.openConnections());
  }, 50);
  const started = performance.now();

  // A burst of forged signatures one second in, FORGED_BATCH at a time.
  const forgedBody = webhookBody(-1);
  const forged = sleep(1000)
    .then(() => forgedSignatures(forgedBody, signer.kid, s.forged))
    .then(async (list) => {
      const results: Array<Timed & { kind: string }> = [];
      for (let i = 0; i < list.length; i += FORGED_BATCH) {
        results.push(...(await Promise.all(list.slice(i, i + FORGED_BATCH).map(async (f) => ({ kind: f.kind, ...(await timed(() => post(forgedBody, f.jwt))) })))));
      }
      return results;
    });

  const webhooks: Array<Promise<Timed>> = [];
  const healthChecks: Array<Promise<Timed>> = [];
  for (let i = 0; performance.now() - started < s.seconds * 1000; i++) {
    const body = webhookBody(i);
    webhooks.push(signWebhook(body, signer).then((jwt) => timed(() => post(body, jwt))));
    healthChecks.push(timed(() => fetch(`${app.base}/api/health`)));
    await sleep(50);
  }
  const attackEnd = performance.now();
  const legit = await Promise.all(webhooks);
  const healthy = await Promise.all(healthChecks);
  const forgedResults = await forged;
  const conns = (await Promise.all(attackers.map((a) => a.stop()))).flat();
  clearInterval(sampler);
  await app.close();
  return { legit, healthy, forgedResults, conns, attackEnd, maxOpen, cutForRoom: route.slots.cut, plaidKeyCalls: plaidKeyCalls - keyCallsBefore, keyLookups: route.keyLookups };
}

type Outcome = Awaited<ReturnType<typeof underAttack>>;

function report(name: string, s: Scenario, o: Outcome) {
  const line = (label: string, xs: Timed[]) =>
    `  ${label.padEnd(24)} ${String(xs.length).padStart(4)} sent  ${JSON.stringify(statusCounts(xs.map((x) => x.status)))}  p50 ${percentile(xs.map((x) => x.ms), 50).toFixed(1)} ms  p99 ${percentile(xs.map((x) => x.ms), 99).toFixed(1)} ms  max ${Math.max(...xs.map((x) => x.ms)).toFixed(1)} ms`;
  const kinds = ['slow-loris', 'oversized-declared', 'oversized-streamed'] as const;
  const attack = kinds.map((k) => {
    const cs = o.conns.filter((c) => c.kind === k);
    const life = cs.filter((c) => c.closedByServer).map((c) => c.closedAt! - c.openedAt);
    return `  ${k.padEnd(24)} ${String(cs.length).padStart(4)} connections  cut by the server ${life.length}, still open at the end ${cs.length - life.length}  answers ${JSON.stringify(statusCounts(cs.filter((c) => c.closedByServer).map((c) => c.status)))}  lifetime p50 ${percentile(life, 50).toFixed(0)} ms max ${Math.max(...life).toFixed(0)} ms`;
  });
  console.log(
    [
      `webhook endpoint under attack — ${name}: ${s.seconds} s; limits ${s.limits.maxBodyBytes / 1024} KB, ${s.limits.bodyTimeoutMs} ms, ${s.limits.maxBodiesInFlight} bodies in flight; attackers: ${s.slowLoris} slow-loris + ${s.oversized}+${s.oversized} oversized kept open, ${s.forged} forged signatures`,
      line('legit POST (signed)', o.legit),
      line('GET /api/health', o.healthy),
      line('forged signatures', o.forgedResults),
      ...attack,
      `  server: at most ${o.maxOpen} connections open at once; ${o.cutForRoom} reads cut to make room; ${o.plaidKeyCalls} key lookups at Plaid, ${o.keyLookups.refusedWithoutAsking} unknown kids refused without asking`,
    ].join('\n'),
  );
}

/** What must hold whatever the attack: legit traffic answered, forged refused, attackers cut. */
function expectResponsive(s: Scenario, o: Outcome) {
  expect(o.legit.length).toBeGreaterThan(s.seconds * 5); // one every 50 ms, timers permitting
  expect(statusCounts(o.legit.map((x) => x.status))).toEqual({ 200: o.legit.length });
  expect(statusCounts(o.healthy.map((x) => x.status))).toEqual({ 200: o.healthy.length });
  expect(percentile(o.legit.map((x) => x.ms), 99)).toBeLessThan(1000);
  expect(percentile(o.healthy.map((x) => x.ms), 99)).toBeLessThan(1000);
  expect(statusCounts(o.forgedResults.map((x) => x.status))).toEqual({ 401: s.forged });
  // A quarter of the forgeries carry a made-up kid; Plaid is asked about a handful at most.
  expect(o.plaidKeyCalls).toBeLessThanOrEqual(s.limits.keyLookups.unknownPerMinute);
  expect(o.keyLookups.refusedWithoutAsking).toBeGreaterThanOrEqual(s.forged / 4 - s.limits.keyLookups.unknownPerMinute);
  // Oversized bodies: refused with 413 and the connection closed, within a moment. A client still
  // writing when the server closes gets a TCP reset, which can overtake the 413 it was sent.
  const oversized = o.conns.filter((c) => c.kind !== 'slow-loris' && c.closedByServer);
  expect(oversized.length).toBeGreaterThan(2 * s.oversized);
  const answers = statusCounts(oversized.map((c) => c.status));
  expect(Object.keys(answers).filter((k) => k !== '413' && k !== 'reset')).toEqual([]);
  expect(answers['413']).toBeGreaterThan(0);
  expect(Math.max(...oversized.map((c) => c.closedAt! - c.openedAt))).toBeLessThan(2000);

}

/** Every attacking connection opened early enough to have been cut must have been. */
function openedBefore(conns: AttackConnection[], at: number, kind: AttackConnection['kind']) {
  return conns.filter((c) => c.kind === kind && c.openedAt < at);
}

describe('webhook endpoint under attack', () => {
  it('with the production limits: trickling bodies are cut at the body timeout, and legit traffic never waits on them', { timeout: 90_000 }, async () => {
    const s: Scenario = { limits: DEFAULT_WEBHOOK_LIMITS, seconds: 12, slowLoris: 60, oversized: 3, forged: 400, reconnectMs: 100 };
    const o = await underAttack(s);
    report('production limits', s, o);
    expectResponsive(s, o);
    const timeout = s.limits.bodyTimeoutMs;
    const early = openedBefore(o.conns, o.attackEnd - timeout - 1500, 'slow-loris');
    expect(early.length).toBeGreaterThanOrEqual(s.slowLoris);
    for (const c of early) {
      expect(c.closedByServer).toBe(true);
      expect(c.status).toBe(408);
      // Cut by the timeout: not before it, and not long after.
      expect(c.closedAt! - c.openedAt).toBeGreaterThanOrEqual(timeout - 50);
      expect(c.closedAt! - c.openedAt).toBeLessThan(timeout + 1500);
    }
    expect(o.cutForRoom).toBe(0);
  });

  it('with more trickling bodies than slots: the longest-running reads are cut for room (503) and legit webhooks still get theirs', { timeout: 60_000 }, async () => {
    const s: Scenario = { limits: { ...DEFAULT_WEBHOOK_LIMITS, maxBodiesInFlight: 16 }, seconds: 6, slowLoris: 48, oversized: 2, forged: 100, reconnectMs: 250 };
    const o = await underAttack(s);
    report('16 body slots, 48 slow-loris', s, o);
    expectResponsive(s, o);
    // Each new read pushes out the oldest: trickling connections live well under the body timeout.
    const slow = o.conns.filter((c) => c.kind === 'slow-loris' && c.closedByServer);
    expect(o.cutForRoom).toBeGreaterThan(s.slowLoris);
    expect(slow.length).toBeGreaterThan(s.slowLoris);
    expect(statusCounts(slow.map((c) => c.status))).toEqual({ 503: slow.length });
    expect(percentile(slow.map((c) => c.closedAt! - c.openedAt), 99)).toBeLessThan(s.limits.bodyTimeoutMs / 2);
  });
});
