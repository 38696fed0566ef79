import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Transaction } from 'plaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { migrationsFolder, runMigrations } from '../../db/migrate';
import { rowsOf } from '../../db/rows';
import { plaidItems, users } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { cachedTransactions } from './cached-transactions';
import { upsertTransactions } from './transaction-writes';

/**
 * Migration 0018 partitions plaid_transactions with the rows in place: a database at 0017 holding
 * transactions (raw JSON inline, as before) is migrated, and the rows read back through the app's
 * query, their Plaid objects moved to plaid_transaction_raw, their digests such that the same
 * object synced again changes nothing.
 */
const BEFORE = '0017_rate-limit-hits';
let h: DbHandle;
let oldFolder: string;

/** db/migrations as it was before partitioning: the SQL files and a journal ending at BEFORE. */
function migrationsUpTo(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'migrations-before-'));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
  const end = journal.entries.findIndex((e) => e.tag === tag);
  expect(end).toBeGreaterThan(0);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, end + 1) }));
  return dir;
}

const plaidTx = (id: string, amount: number, date: string) =>
  ({
    transaction_id: id, account_id: 'acc-1', amount, iso_currency_code: 'USD', unofficial_currency_code: null, date,
    authorized_date: null, datetime: null, name: `Shop ${id}`, merchant_name: 'Shop', pending: false, pending_transaction_id: null,
    personal_finance_category: { primary: 'GENERAL_MERCHANDISE', detailed: 'GENERAL_MERCHANDISE_OTHER' },
    payment_channel: 'online', logo_url: null, location: { city: 'Austin' },
  }) as unknown as Transaction;

let userId: string;
let itemIds: string[];
const before = [
  plaidTx('old-1', 12.5, '2026-10-01'),
  plaidTx('old-2', -40, '2026-10-03'),
  plaidTx('old-3', 7.25, '2026-10-02'),
];

beforeAll(async () => {
  oldFolder = migrationsUpTo(BEFORE);
  h = await createTestDb({ migrations: oldFolder });
  userId = randomUUID();
  await h.db.insert(users).values({ id: userId, email: `${userId}@example.com`, name: 'm' });
  const items = await h.db.insert(plaidItems).values([1, 2].map((n) => ({ plaidItemId: `pi-${n}-${userId}`, userId, accessTokenEnc: 'x' }))).returning();
  itemIds = items.map((i) => i.id);
  // Written as the code before 0018 wrote them: one table, the raw object inline, version 1.
  for (const [n, t] of before.entries()) {
    await h.db.execute(sql`
      insert into plaid_transactions (id, item_id, account_id, amount, iso_currency_code, date, name, merchant_name, pending,
        category_primary, category_detailed, payment_channel, raw, version, removed_at)
      values (${t.transaction_id}, ${itemIds[n % 2]}::uuid, ${t.account_id}, ${String(t.amount)}::numeric, 'USD', ${t.date}::date, ${t.name},
        ${t.merchant_name}, false, 'GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_OTHER', 'online', ${JSON.stringify(t)}::jsonb, 1, null)`);
  }
  await runMigrations(h, migrationsFolder, { transactionPartitions: 4 });
});
afterAll(async () => {
  await h?.close();
  if (oldFolder) rmSync(oldFolder, { recursive: true, force: true });
});

describe('migration 0018: plaid_transactions partitioned with the data in place', () => {
  it('rows written before the migration read back through the transactions page', async () => {
    const page = await cachedTransactions(h.db, { userId, limit: 50 });
    expect(page.transactions.map((t) => [t.id, t.itemId, t.amount, t.date, t.name])).toEqual([
      ['old-2', itemIds[1], '-40.0000', '2026-10-03', 'Shop old-2'],
      ['old-3', itemIds[0], '7.2500', '2026-10-02', 'Shop old-3'],
      ['old-1', itemIds[0], '12.5000', '2026-10-01', 'Shop old-1'],
    ]);
  });

  it('moves each Plaid object to plaid_transaction_raw and into the given number of partitions', async () => {
    const raw = rowsOf<{ transaction_id: string; raw: unknown }>(await h.db.execute(sql`select transaction_id, raw from plaid_transaction_raw order by transaction_id`));
    expect(raw.map((r) => [r.transaction_id, typeof r.raw === 'string' ? JSON.parse(r.raw) : r.raw])).toEqual(
      before.map((t) => [t.transaction_id, JSON.parse(JSON.stringify(t))]),
    );
    const [parts] = rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from pg_inherits where inhparent = 'plaid_transactions'::regclass`));
    expect(parts!.n).toBe(4);
    const columns = rowsOf<{ column_name: string }>(await h.db.execute(sql`select column_name from information_schema.columns where table_name = 'plaid_transactions' and column_name = 'raw'`));
    expect(columns).toEqual([]);
  });

  it('a sync bringing the same objects changes nothing; a changed one is one modification', async () => {
    const ctx = { userId, itemId: itemIds[0]!, receivedAt: new Date(), sourceVersion: 'after-migration' };
    expect(await upsertTransactions(h.db, ctx, [before[0]!, before[2]!])).toEqual({ added: 0, modified: 0 });
    const changed = { ...before[0]!, location: { city: 'Boston' } } as unknown as Transaction;
    expect(await upsertTransactions(h.db, ctx, [changed, before[2]!])).toEqual({ added: 0, modified: 1 });
    const [row] = rowsOf<{ version: number; city: string }>(await h.db.execute(sql`
      select t.version, r.raw #>> '{location,city}' as city from plaid_transactions t
      join plaid_transaction_raw r on r.item_id = t.item_id and r.transaction_id = t.id where t.id = 'old-1'`));
    expect(row).toEqual({ version: 2, city: 'Boston' });
  });
});
