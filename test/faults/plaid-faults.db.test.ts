import { inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { syncRuns } from '../../db/schema';
import { setEnvForTests } from '../support/env';
import type { Fault, FaultInput } from '@tributary/plaid-emulator/testing';
import { linkAs } from '../support/sync';
import { measure, noLosses } from './convergence';
import { createFaultWorld, type FaultWorld, PLAID_TIMEOUT_MS } from './fault-world';
import { createFigures } from './figures';

/**
 * Plaid misbehaving under a live pipeline: items are linked through the items API, the emulator's
 * webhooks drive the syncs, and faults are injected into the emulator over HTTP while several
 * paginations are under way. Each scenario ends converged with nothing lost, and says so in figures.
 */
setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
let w: FaultWorld;
const figures = createFigures('plaid-faults');

beforeAll(async () => {
  w = await createFaultWorld('plaid');
  await w.start();
});
afterEach(() => w.h.emu.emulator.controls.clearFaults());
afterAll(async () => {
  figures.print();
  await w?.close();
});

type Ids = { itemId: string; plaidItemId: string };

/** Links `n` items and lets their first syncs finish, then moves each item's clock so the next sync has pages. */
async function itemsWithNewData(n: number, days = 20): Promise<Ids[]> {
  const items: Ids[] = [];
  for (let i = 0; i < n; i++) items.push(await linkAs(w.h));
  await w.settle();
  for (const it of items) w.h.emu.emulator.controls.advanceClock(it.plaidItemId, days);
  return items;
}

const consumed = (faults: Fault[]) => faults.reduce((s, f) => s + (f.times - f.remaining), 0);

async function expectConverged(fault: string, items: Ids[], faults: Fault[], note?: string) {
  await w.settle(60_000);
  const m = await measure(w, items);
  const injected = consumed(faults);
  figures.add({ fault, injected, lost: m.lost, checked: m.checked, converged: m.lost === 0, ...(note ? { note } : {}) });
  expect(injected).toBeGreaterThan(0);
  expect(m.byItem).toEqual(items.map(() => noLosses));
  return m;
}

const inject = (input: FaultInput) => w.h.emu.emulator.controls.injectFault(input);

describe('Plaid faults while webhooks drive the syncs', () => {
  it('converges through a run of Plaid 500s on /transactions/sync across two items', async () => {
    const items = await itemsWithNewData(2);
    const f = inject({ endpoint: '/transactions/sync', http_status: 500, times: 4 });
    await expectConverged('Plaid 500 (/transactions/sync)', items, [f]);
  });

  it('converges through latency past the SDK timeout: the abandoned pages are fetched again', async () => {
    const items = await itemsWithNewData(2);
    const f = inject({ endpoint: '/transactions/sync', latency_ms: PLAID_TIMEOUT_MS + 300, times: 3 });
    await expectConverged(`latency > ${PLAID_TIMEOUT_MS} ms timeout`, items, [f]);
  });

  it('converges through INSTITUTION_DOWN answers, retried with backoff', async () => {
    const items = await itemsWithNewData(2);
    const f = inject({ endpoint: '/transactions/sync', error_code: 'INSTITUTION_DOWN', times: 4 });
    await expectConverged('INSTITUTION_DOWN', items, [f]);
  });

  it('converges when transactions change mid-pagination: the loop restarts from its first cursor', async () => {
    const items = await itemsWithNewData(2, 30);
    const f = inject({ endpoint: '/transactions/sync', sync_mutation: true, times: 3 });
    await expectConverged('mutation during pagination', items, [f]);
    const runs = await w.h.db.select({ restarts: syncRuns.restarts }).from(syncRuns).where(inArray(syncRuns.itemId, items.map((i) => i.itemId)));
    expect(runs.reduce((s, r) => s + r.restarts, 0)).toBe(consumed([f])); // each mutation met = one restart
  });

  it('a 429 storm across three items: runs retry with backoff; one that runs out of retries is caught up by the next webhook', async () => {
    const items = await itemsWithNewData(3);
    const f = inject({ endpoint: '/transactions/sync', http_status: 429, times: 15 });
    await w.settle(60_000);
    const failed = (await w.runner().listRuns({ limit: 1000 })).filter((r) => r.functionId.endsWith('sync-transactions') && r.status === 'FAILED');
    // Plaid's next word on each item (a refresh → DEFAULT_UPDATE + SYNC_UPDATES_AVAILABLE) starts a new sync.
    for (const it of items) w.h.emu.emulator.controls.refresh(it.plaidItemId);
    await expectConverged('429 storm (15 in a row)', items, [f], `${failed.length} runs out of retries, caught up by the next webhook`);
  });
});
