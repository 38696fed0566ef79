import { and, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import type { AccountBase } from 'plaid';
import type { Db, Tx } from '../../db/client';
import { plaidAccounts } from '../../db/schema';
import type { Keyring } from '../crypto';
import { upsertAccounts } from '../items/store-accounts';

export interface AccountWrites {
  added: AccountBase[];
  modified: AccountBase[];
}

/** What a consumer of account records cares about; other fields Plaid adds do not make a change. */
function fingerprint(a: Pick<AccountBase, 'name' | 'official_name' | 'mask' | 'type' | 'subtype' | 'balances' | 'verification_status'>) {
  const b = a.balances;
  return JSON.stringify([
    a.name, a.official_name ?? null, a.mask ?? null, a.type, a.subtype ?? null, a.verification_status ?? null,
    b.available ?? null, b.current ?? null, b.limit ?? null, b.iso_currency_code ?? null, b.unofficial_currency_code ?? null,
  ]);
}

/**
 * Stores accounts (balances included) and reports which are new and which changed, so only real
 * changes reach the outbox. `announce` reports every account as added whatever the comparison
 * says: a sync from an empty cursor does it, so consumers get each account (stored at link time,
 * before any sync) at least once.
 */
export async function storeAccountChanges(
  db: Db | Tx,
  keyring: Keyring,
  itemId: string,
  accounts: readonly AccountBase[],
  o: { announce?: boolean } = {},
): Promise<AccountWrites> {
  if (accounts.length === 0) return { added: [], modified: [] };
  const stored = await db
    .select({ id: plaidAccounts.id, raw: plaidAccounts.raw, removedAt: plaidAccounts.removedAt })
    .from(plaidAccounts)
    .where(inArray(plaidAccounts.id, accounts.map((a) => a.account_id)));
  const known = new Map(stored.map((s) => [s.id, s]));
  const out: AccountWrites = { added: [], modified: [] };
  for (const a of accounts) {
    const before = known.get(a.account_id);
    if (!before || o.announce) out.added.push(a);
    else if (before.removedAt || !before.raw || fingerprint(before.raw as AccountBase) !== fingerprint(a)) out.modified.push(a);
  }
  await upsertAccounts(db, keyring, itemId, [...out.added, ...out.modified]);
  return out;
}

/** Accounts of the item Plaid no longer returns are marked removed (re-mine); returns them. */
export async function removeAccountsNotIn(db: Db | Tx, itemId: string, keep: readonly string[]) {
  const now = new Date();
  return db
    .update(plaidAccounts)
    .set({ removedAt: now })
    .where(and(eq(plaidAccounts.itemId, itemId), isNull(plaidAccounts.removedAt), keep.length ? notInArray(plaidAccounts.id, [...keep]) : undefined))
    .returning({ account_id: plaidAccounts.id });
}
