import { and, eq, ne, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidAccounts, plaidItems, syncRuns, users } from '../../db/schema';
import { setEnvForTests } from '../support/env';
import { DYNAMIC_USER, linkAs } from '../support/sync';
import { createInnerContext, type SessionUser } from '../../server/trpc/context';
import { createCaller } from '../../server/trpc/routers/_app';
import { silentLog } from '../support/harness';
import { measure, noLosses } from './convergence';
import { createFaultWorld, type FaultWorld } from './fault-world';
import { createFigures } from './figures';
import { killSwitch, seededRandom } from './kill-switch';

/**
 * Crash safety. Kill points are the database writes of a flow (inserts, updates, deletes, raw
 * statements, transactions — and every write inside a transaction): for each seed, one write
 * chosen at random among all the writes the flow makes throws, its transaction rolls back, and
 * every later call of that "process" never returns. Then a fresh one takes over on the same DB:
 * - link: the items.link request dies; the browser retries it with the same public token (or,
 *   if the token was spent before the item was stored, the user links again);
 * - sync: webhook handling and the sync functions die; the runner is stopped without releasing
 *   its claims (a dead process), a new runner takes its runs over once their leases expire;
 * - publish: the Kinesis publisher dies the same way (between PutRecords and stamping rows, too).
 * Nothing lost (the pipeline converges to the emulator), nothing duplicated (one record per
 * per-item sequence number on each stream, every number delivered, first seen in number order).
 */
setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const SEEDS = [11, 22, 33, 44, 55];
const LEASE_MS = 300;
let w: FaultWorld;
const figures = createFigures('crash-safety');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  w = await createFaultWorld('crash');
  await w.start({ leaseMs: LEASE_MS });
});
afterAll(async () => {
  figures.print();
  await w?.close();
});

/** A dead process's runner: claims kept until they expire; a new runner on the same database. */
async function restartRunner() {
  await w.stop({ release: false });
  w.dbFor.jobs = w.h.db;
  w.dbFor.publish = w.h.db;
  // The dead publisher's outbox and change-log leases (60 s) run out: time passing that the test does not wait for.
  // On Postgres this bulk update can be picked as a deadlock victim against a publisher still
  // winding down; like any deadlock victim, it is retried.
  for (let attempt = 1; ; attempt++) {
    try {
      await w.h.db.execute(sql`update stream_outbox set lease_until = now() - interval '1 second' where published_at is null and lease_until is not null`);
      await w.h.db.execute(sql`update change_log_lease set lease_until = now() - interval '1 second' where lease_until is not null`);
      break;
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (code !== '40P01' || attempt >= 5) throw err;
      await sleep(50 * attempt);
    }
  }
  await w.start({ leaseMs: LEASE_MS });
  await sleep(LEASE_MS + 100);
  await w.settle(60_000);
}

async function killedWithin(killed: Promise<void>, ms = 20_000): Promise<boolean> {
  return Promise.race([killed.then(() => true), sleep(ms).then(() => false)]);
}

type Phase = 'sync' | 'publish';

/** Links an item and lets it settle, then moves its clock so that webhooks, a sync and a publish follow. */
async function itemThenNewData(phase: Phase, killAt?: number) {
  const ids = await linkAs(w.h);
  await w.settle();
  const ks = killSwitch(w.h.db, killAt);
  w.dbFor[phase === 'sync' ? 'jobs' : 'publish'] = ks.db;
  w.h.emu.emulator.controls.advanceClock(ids.plaidItemId, 30);
  return { ids, ks };
}

async function expectNothingLost(ids: { itemId: string; plaidItemId: string }) {
  const m = await measure(w, [ids]);
  expect(m.byItem).toEqual([noLosses]);
  return m;
}

describe.each(['sync', 'publish'] as const)('killed at a random write of %s, then a new runner', (phase) => {
  const kills: string[] = [];
  let total = 0;
  let lost = 0;
  let checked = 0;
  beforeAll(async () => {
    const { ks } = await itemThenNewData(phase);
    await w.settle();
    total = ks.writes();
    w.dbFor.jobs = w.h.db;
    w.dbFor.publish = w.h.db;
  });
  afterAll(() => figures.add({ fault: `kill during ${phase}`, injected: kills.length, lost, checked, converged: lost === 0, note: `writes ${kills.join(', ')} of ~${total}` }));

  it.each(SEEDS)('seed %i: nothing lost, nothing duplicated', async (seed) => {
    expect(total).toBeGreaterThan(3);
    const killAt = 1 + Math.floor(seededRandom(seed)() * Math.floor(total * 0.9));
    const { ids, ks } = await itemThenNewData(phase, killAt);
    expect(await killedWithin(ks.killed)).toBe(true);
    kills.push(String(killAt));
    await restartRunner();
    const m = await measure(w, [ids]);
    lost += m.lost;
    checked += m.checked;
    expect(m.byItem).toEqual([noLosses]);
    const runs = await w.h.db.select().from(syncRuns).where(eq(syncRuns.itemId, ids.itemId));
    expect(runs.at(-1)?.status).toBe('SUCCEEDED');
  });
});

describe('killed at a random write of items.link, then the request again', () => {
  let total = 0;
  const kills: string[] = [];
  let lost = 0;
  let checked = 0;
  let relinked = 0;

  async function startLink(user: SessionUser) {
    const api = w.h.caller(user);
    const { linkToken } = await api.link.createToken({ mode: 'new' });
    const done = w.h.emu.emulator.link.completeLink({ linkToken, institutionId: 'ins_109508', username: DYNAMIC_USER, password: 'pass_good' });
    if (done.status !== 'success') throw new Error('Link did not succeed');
    return { publicToken: done.publicToken, metadata: { institution: done.institution, accounts: done.accounts, link_session_id: done.linkSessionId } };
  }
  const linkThrough = (db: typeof w.h.db, user: SessionUser, input: Awaited<ReturnType<typeof startLink>>) =>
    createCaller(createInnerContext({ db, session: { user }, log: silentLog, deps: w.h.deps })).items.link(input);

  beforeAll(async () => {
    const user = await w.h.createUser();
    const ks = killSwitch(w.h.db);
    await linkThrough(ks.db, user, await startLink(user));
    total = ks.writes();
    await w.settle();
  });
  afterAll(() => figures.add({
    fault: 'kill during link', injected: kills.length, lost, checked, converged: lost === 0,
    note: `writes ${kills.join(', ')} of ${total}; ${relinked} before the item was stored: linked again, Plaid item orphaned`,
  }));

  it.each(SEEDS)('seed %i: the retried request finishes the link: one item, accounts, user active, data converged', async (seed) => {
    const killAt = 1 + Math.floor(seededRandom(seed)() * total);
    const user = await w.h.createUser();
    const input = await startLink(user);
    const ks = killSwitch(w.h.db, killAt);
    void linkThrough(ks.db, user, input).catch(() => undefined);
    expect(await killedWithin(ks.killed)).toBe(true);
    kills.push(String(killAt));
    const retried = await linkThrough(w.h.db, user, input).catch(async () => {
      relinked++; // the token was exchanged before the item was stored: the user goes through Link again
      return linkThrough(w.h.db, user, await startLink(user));
    });
    await w.settle(60_000);
    const items = await w.h.db.select().from(plaidItems).where(and(eq(plaidItems.userId, user.id), ne(plaidItems.status, 'REMOVED')));
    expect(items.map((i) => i.id)).toEqual([retried.item.id]);
    expect(items[0]!.mainAccountId).not.toBeNull();
    expect(await w.h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, retried.item.id))).not.toHaveLength(0);
    expect((await w.h.db.select().from(users).where(eq(users.id, user.id)))[0]?.status).toBe('ACTIVE');
    const m = await expectNothingLost({ itemId: items[0]!.id, plaidItemId: items[0]!.plaidItemId });
    lost += m.lost;
    checked += m.checked;
  });
});
