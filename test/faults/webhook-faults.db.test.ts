import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { plaidWebhooks } from '../../db/schema';
import { setEnvForTests } from '../support/env';
import { linkAs } from '../support/sync';
import { measure, noLosses } from './convergence';
import { createFaultWorld, type FaultWorld } from './fault-world';
import { createFigures } from './figures';
import type { Attempt, AttemptPolicy } from './live-receiver';

/**
 * Webhook delivery going wrong between the emulator and the live endpoint: the endpoint down
 * (Plaid retries), answers lost after the webhook was stored (Plaid delivers it again), and
 * deliveries arriving out of order. The data converges and every delivered webhook is stored.
 */
setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
let w: FaultWorld;
const figures = createFigures('webhook-faults');

beforeAll(async () => {
  w = await createFaultWorld('webhooks');
  await w.start();
});
afterEach(() => w.receiver.reset());
afterAll(async () => {
  figures.print();
  await w?.close();
});

type Ids = { itemId: string; plaidItemId: string };

/** Links items with the endpoint behaving, lets them settle, then turns on `policy`. */
async function linkedItems(n: number, policy: (a: Attempt) => AttemptPolicy): Promise<Ids[]> {
  const items: Ids[] = [];
  for (let i = 0; i < n; i++) items.push(await linkAs(w.h));
  await w.settle();
  w.receiver.reset();
  w.receiver.setPolicy(policy);
  return items;
}

async function expectConverged(fault: string, items: Ids[], faults: () => number) {
  await w.settle(60_000);
  const m = await measure(w, items);
  const injected = faults();
  figures.add({ fault, injected, lost: m.lost, checked: m.checked, converged: m.lost === 0 });
  expect(injected).toBeGreaterThan(0);
  expect(m.byItem).toEqual(items.map(() => noLosses));
}

const storedFor = (plaidItemId: string) =>
  w.h.db.select().from(plaidWebhooks).where(and(eq(plaidWebhooks.plaidItemId, plaidItemId), eq(plaidWebhooks.source, 'plaid')));

describe('webhook delivery faults', () => {
  it('the endpoint answering 500 to first and second attempts: Plaid retries, every webhook is stored and acted on', async () => {
    const items = await linkedItems(2, (a) => (a.seen < 2 ? 'down' : 'receive'));
    for (const it of items) {
      w.h.emu.emulator.controls.advanceClock(it.plaidItemId, 10);
      w.h.emu.emulator.controls.refresh(it.plaidItemId);
    }
    await expectConverged('endpoint down (500, Plaid retries)', items, () => w.receiver.counts.down);
    const deliveries = items.flatMap((it) => w.h.emu.emulator.controls.webhookDeliveries(it.plaidItemId));
    expect(deliveries.filter((d) => d.attempts.length >= 3).length).toBeGreaterThan(0);
  });

  it("a 200 lost after the webhook was stored: Plaid's retry is counted on the stored row, not acted on again", async () => {
    const items = await linkedItems(2, (a) => (a.seen === 0 ? 'lost-answer' : 'receive'));
    for (const it of items) w.h.emu.emulator.controls.refresh(it.plaidItemId);
    await expectConverged('answer lost after storing (duplicate delivery)', items, () => w.receiver.counts.lostAnswers);
    const count = (list: string[], x: string) => list.filter((y) => y === x).length;
    const accepted = w.receiver.accepted.map((r) => r.body);
    const stored = (await Promise.all(items.map((it) => storedFor(it.plaidItemId)))).flat();
    expect(accepted.length).toBeGreaterThan(0);
    for (const body of new Set(accepted)) {
      expect(count(accepted, body) % 2).toBe(0); // each delivery arrived twice: the lost answer, then Plaid's retry
      const rows = stored.filter((r) => r.rawBody === body);
      // Every delivery is accounted for, and a retry never made a row of its own (two deliveries of
      // the same news with nothing between them may share one row too).
      expect(rows.reduce((n, r) => n + r.deliveryCount, 0)).toBe(count(accepted, body));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThanOrEqual(count(accepted, body) / 2);
    }
  });

  it('a replayed webhook (the same signed bytes again) is answered 200 as a duplicate and not stored or acted on again', async () => {
    const items = await linkedItems(1, () => 'receive');
    const { plaidItemId } = items[0]!;
    w.h.emu.emulator.controls.refresh(plaidItemId);
    await w.settle();
    const before = await storedFor(plaidItemId);
    const runsBefore = (await w.runner().listRuns({ limit: 1000 })).length;
    const replays = w.receiver.accepted.filter((a) => a.body.includes(plaidItemId));
    for (const r of replays) {
      const res = await fetch(w.receiver.url, { method: 'POST', body: r.body, headers: { 'plaid-verification': r.signature } });
      expect(res.status).toBe(200);
    }
    await w.settle();
    expect(await storedFor(plaidItemId)).toEqual(before);
    expect((await w.runner().listRuns({ limit: 1000 })).length).toBe(runsBefore);
    await expectConverged('replayed delivery (same signature)', items, () => replays.length);
  });

  it('deliveries out of order (DEFAULT_UPDATE and SYNC_UPDATES_AVAILABLE after TRANSACTIONS_REMOVED) converge', async () => {
    const late = new Set(['DEFAULT_UPDATE', 'SYNC_UPDATES_AVAILABLE']);
    const items = await linkedItems(2, (a) => (late.has(a.json.webhook_code ?? '') && a.seen < 2 ? 'down' : 'receive'));
    for (const it of items) w.h.emu.emulator.controls.refresh(it.plaidItemId); // posts pending: removals
    await expectConverged('out-of-order delivery', items, () => w.receiver.counts.down);
    for (const it of items) {
      const codes = (await storedFor(it.plaidItemId)).sort((a, b) => +a.receivedAt - +b.receivedAt).map((r) => r.webhookCode);
      expect(codes.lastIndexOf('TRANSACTIONS_REMOVED')).toBeLessThan(codes.lastIndexOf('SYNC_UPDATES_AVAILABLE'));
      expect(codes.lastIndexOf('TRANSACTIONS_REMOVED')).toBeLessThan(codes.lastIndexOf('DEFAULT_UPDATE'));
    }
  });
});
