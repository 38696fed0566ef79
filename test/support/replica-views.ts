import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';

/**
 * One item as the app holds it (`source`: plaid_items, plaid_accounts, plaid_transactions with
 * Plaid's raw object) and as the reference consumer rebuilt it from the streams (`replica`:
 * replica_* tables, server/streams/replay.ts), in one shape — numbers as decimal text, removal as
 * a flag, versions included — so a test can say "the replica equals the app, row for row".
 */
async function query<T>(db: Db, text: string, itemId: string): Promise<T[]> {
  return rowsOf<T>(await db.execute(sql.raw(text.replaceAll(':item', `'${itemId}'`))));
}

/** The app's rows and the replica's, in one shape (numbers as decimal text, removal as a flag). */
const views = {
  source: {
    items: `select id::text, user_id, status, stream_version as version from plaid_items where id = :item`,
    accounts: `select id, item_id::text, name, official_name, mask, type, subtype, trim_scale(available_balance)::text as available,
      trim_scale(current_balance)::text as current, trim_scale(credit_limit)::text as "limit", iso_currency_code, unofficial_currency_code,
      verification_status, removed_at is not null as removed, version from plaid_accounts where item_id = :item order by id`,
    // Plaid's object lives in plaid_transaction_raw (migration 0016), beside the partitioned row.
    transactions: `select t.id, t.item_id::text, t.account_id, trim_scale(t.amount)::text as amount, t.iso_currency_code, t.unofficial_currency_code,
      t.date::text, t.authorized_date::text, t.datetime, t.name, t.merchant_name, t.pending, t.pending_transaction_id, t.category_primary,
      t.category_detailed, t.payment_channel, t.logo_url, t.removed_at is not null as removed, t.version, r.raw
      from plaid_transactions t left join plaid_transaction_raw r on r.item_id = t.item_id and r.transaction_id = t.id
      where t.item_id = :item order by t.id`,
  },
  replica: {
    items: `select item_id::text as id, user_id, status, version from replica_items where item_id = :item`,
    accounts: `select account_id as id, item_id::text, name, official_name, mask, type, subtype, trim_scale(available_balance)::text as available,
      trim_scale(current_balance)::text as current, trim_scale(credit_limit)::text as "limit", iso_currency_code, unofficial_currency_code,
      verification_status, removed, version from replica_accounts where item_id = :item order by account_id`,
    transactions: `select transaction_id as id, item_id::text, account_id, trim_scale(amount)::text as amount, iso_currency_code, unofficial_currency_code,
      date::text, authorized_date::text, datetime, name, merchant_name, pending, pending_transaction_id, category_primary,
      category_detailed, payment_channel, logo_url, removed, version, raw
      from replica_transactions where item_id = :item order by transaction_id`,
  },
};

export async function itemSnapshot(db: Db, side: 'source' | 'replica', itemId: string) {
  const v = views[side];
  return {
    items: await query(db, v.items, itemId),
    accounts: await query(db, v.accounts, itemId),
    transactions: await query<{ removed: boolean }>(db, v.transactions, itemId),
  };
}
