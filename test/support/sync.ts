import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidAccounts, plaidItems, plaidTransactions } from '../../db/schema';
import { buildIndex } from '@tributary/plaid-emulator/testing';
import type { Harness } from './harness';

/** Test support for the sync: link items as any sandbox user, and compare the DB with the emulator. */

export const DYNAMIC_USER = 'user_transactions_dynamic';

/** Links a bank through the items API (as harness.linkBank does) with the sandbox user chosen. */
export async function linkAs(h: Harness, username = DYNAMIC_USER, institutionId = 'ins_109508') {
  const user = await h.createUser();
  const api = h.caller(user);
  const { linkToken } = await api.link.createToken({ mode: 'new' });
  const done = h.emu.emulator.link.completeLink({ linkToken, institutionId, username, password: 'pass_good' });
  if (done.status !== 'success') throw new Error(`Link did not succeed: ${JSON.stringify(done)}`);
  const { item } = await api.items.link({
    publicToken: done.publicToken,
    metadata: { institution: done.institution, accounts: done.accounts, link_session_id: done.linkSessionId },
  });
  const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
  return { itemId: item.id, plaidItemId: row!.plaidItemId, userId: user.id };
}

/** "12.3400" and 12.34 both become "12.34": amounts compared as decimal text, never as floats. */
export function decimalText(v: string | number): string {
  const s = typeof v === 'number' ? String(v) : v;
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

type TxView = { id: string; accountId: string; amount: string; date: string; pending: boolean; pendingTransactionId: string | null };
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The emulator's truth for an item: its current transactions and account balances. */
export function emulatorView(h: Harness, plaidItemId: string) {
  const item = h.emu.emulator.state.items[plaidItemId];
  if (!item) throw new Error(`no emulator item ${plaidItemId}`);
  const transactions: TxView[] = [...buildIndex(item).current.values()].map((t) => ({
    id: t.transaction_id, accountId: t.account_id, amount: decimalText(t.amount), date: t.date,
    pending: t.pending, pendingTransactionId: t.pending_transaction_id ?? null,
  }));
  const accounts = item.accounts.map(({ account: a }) => ({
    id: a.account_id,
    current: a.balances.current === null ? null : decimalText(a.balances.current),
    available: a.balances.available === null ? null : decimalText(a.balances.available),
  }));
  return { transactions: transactions.sort(byId), accounts: accounts.sort(byId) };
}

/** The same view of what Tributary holds (live rows only). */
export async function databaseView(db: Db, itemId: string) {
  const rows = await db
    .select()
    .from(plaidTransactions)
    .where(and(eq(plaidTransactions.itemId, itemId), isNull(plaidTransactions.removedAt)));
  const transactions: TxView[] = rows.map((t) => ({
    id: t.id, accountId: t.accountId, amount: decimalText(t.amount), date: t.date, pending: t.pending, pendingTransactionId: t.pendingTransactionId,
  }));
  const accounts = (await db.select().from(plaidAccounts).where(and(eq(plaidAccounts.itemId, itemId), isNull(plaidAccounts.removedAt)))).map((a) => ({
    id: a.id,
    current: a.currentBalance === null ? null : decimalText(a.currentBalance),
    available: a.availableBalance === null ? null : decimalText(a.availableBalance),
  }));
  return { transactions: transactions.sort(byId), accounts: accounts.sort(byId) };
}

/** Every row of the item, removed ones included (for "nothing duplicated" checks). */
export async function allTransactionIds(db: Db, itemId: string): Promise<string[]> {
  const rows = await db.select({ id: plaidTransactions.id }).from(plaidTransactions).where(eq(plaidTransactions.itemId, itemId));
  return rows.map((r) => r.id).sort();
}
