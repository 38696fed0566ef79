import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Transaction } from 'plaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle, Tx } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { plaidItems, users } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { transactionsPageQuery } from './cached-transactions';
import { removeTransactions, removeTransactionsNotIn, upsertTransactions } from './transaction-writes';

/**
 * plaid_transactions is hash-partitioned by item (migration 0016): every hot statement must name
 * its item so the planner reads and writes one partition. Each statement's plan comes from EXPLAIN
 * of the very SQL the module runs (the write path's statements through a database whose `execute`
 * explains instead of running), on PGlite and on Postgres.
 */
const PARTITIONS = 8;
let h: DbHandle;
let userId: string;
let itemId: string;

const plaidTx = (id: string): Transaction =>
  ({
    transaction_id: id, account_id: 'acc-1', amount: 12.5, iso_currency_code: 'USD', unofficial_currency_code: null,
    date: '2026-11-02', authorized_date: null, datetime: null, name: `Shop ${id}`, merchant_name: 'Shop', pending: false,
    pending_transaction_id: null, personal_finance_category: { primary: 'GENERAL_MERCHANDISE', detailed: 'GENERAL_MERCHANDISE_OTHER' },
    payment_channel: 'online', logo_url: null,
  }) as unknown as Transaction;

const planOf = async (statement: SQL) =>
  rowsOf<Record<string, string>>(await h.db.execute(sql`explain (costs off) ${statement}`)).map((r) => Object.values(r)[0]).join('\n');

/** The partitions of `table` a plan names, e.g. plaid_transactions_p003. */
const partitionsIn = (plan: string, table: 'plaid_transactions' | 'plaid_transaction_raw') =>
  [...new Set([...plan.matchAll(new RegExp(`\\b${table}_p\\d{3}\\b`, 'g'))].map((m) => m[0]))];

/** A stand-in for the write path's transaction: records the plan of each statement instead of running it. */
function explainingTx(plans: string[]): Tx {
  return {
    execute: async (statement: SQL) => {
      plans.push(await planOf(statement));
      return h.driver === 'pglite' ? { rows: [] } : [];
    },
  } as unknown as Tx;
}

const ctx = () => ({ userId, itemId, receivedAt: new Date(), sourceVersion: 'cursor-1' });

beforeAll(async () => {
  h = await createTestDb({ transactionPartitions: PARTITIONS });
  userId = randomUUID();
  await h.db.insert(users).values({ id: userId, email: `${userId}@example.com`, name: 'p' });
  const items = await h.db.insert(plaidItems).values([1, 2, 3].map((n) => ({ plaidItemId: `pi-${n}-${userId}`, userId, accessTokenEnc: 'x' }))).returning();
  itemId = items[0]!.id;
  // Every item gets rows, so an unpruned plan would have several partitions to name.
  for (const item of items) await upsertTransactions(h.db, { ...ctx(), itemId: item.id }, [plaidTx(`t-${item.id}-1`), plaidTx(`t-${item.id}-2`)]);
  await h.db.execute(sql`analyze plaid_transactions`);
});
afterAll(() => h?.close());

describe('plaid_transactions partitioned by item', () => {
  it('has the partition count given at migration time, for the rows and for the raw objects', async () => {
    const counts = rowsOf<{ parent: string; n: number }>(await h.db.execute(sql`
      select p.relname as parent, count(*)::int as n from pg_inherits i join pg_class p on p.oid = i.inhparent
      where p.relname in ('plaid_transactions', 'plaid_transaction_raw') group by p.relname order by p.relname`));
    expect(counts).toEqual([{ parent: 'plaid_transaction_raw', n: PARTITIONS }, { parent: 'plaid_transactions', n: PARTITIONS }]);
  });

  it("a user's transactions page (first and deep) reads only its item's partition", async () => {
    const [home] = rowsOf<{ p: string }>(await h.db.execute(sql`select distinct tableoid::regclass::text as p from plaid_transactions where item_id = ${itemId}::uuid`));
    const input = { userId, limit: 50 };
    const first = await planOf(transactionsPageQuery(h.db, input, [itemId], null).getSQL());
    const deep = await planOf(transactionsPageQuery(h.db, input, [itemId], { date: '2026-01-01', id: 'zzz' }).getSQL());
    expect(partitionsIn(first, 'plaid_transactions')).toEqual([home!.p]);
    expect(partitionsIn(deep, 'plaid_transactions')).toEqual([home!.p]);
    const real = await transactionsPageQuery(h.db, input, [itemId], null);
    expect(real.map((r) => r.id).sort()).toEqual([`t-${itemId}-1`, `t-${itemId}-2`]);
  });

  it("the sync's upsert, its removals and a re-mine's reconciliation each touch one partition of each table", async () => {
    const plans: string[] = [];
    const tx = explainingTx(plans);
    await upsertTransactions(tx, ctx(), [plaidTx(`t-${itemId}-1`), plaidTx('t-new')]);
    await removeTransactions(tx, ctx(), [{ transaction_id: `t-${itemId}-2` }]);
    await removeTransactionsNotIn(tx, ctx(), new Set([`t-${itemId}-1`]));
    expect(plans).toHaveLength(3);
    const [home] = rowsOf<{ p: string }>(await h.db.execute(sql`select distinct tableoid::regclass::text as p from plaid_transactions where item_id = ${itemId}::uuid`));
    for (const plan of plans) {
      expect(plan).not.toMatch(/Seq Scan on plaid_transactions\b(?!_p)/);
      expect(partitionsIn(plan, 'plaid_transactions'), plan).toEqual([home!.p]);
    }
    // The upsert reads the item's existing rows from its partition and writes the raw objects beside them.
    expect(plans[0]).toMatch(/Insert on plaid_transaction_raw/);
  });
});
