import { eq } from 'drizzle-orm';
import type { AccountBase, RemovedTransaction, Transaction } from 'plaid';
import type { Db } from '../../db/client';
import { plaidItems } from '../../db/schema';
import type { Keyring } from '../crypto';
import { writeAccounts } from '../accounts/account-writes';
import type { RecordContext } from '../streams/records';
import { removeTransactions, upsertTransactions } from '../transactions/transaction-writes';
import { notePage } from './sync-runs';

export interface SyncPageData {
  added: Transaction[];
  modified: Transaction[];
  removed: RemovedTransaction[];
  accounts: AccountBase[];
  next_cursor: string;
  has_more: boolean;
  /** Plaid's id of the call that fetched the page (for traces). */
  request_id?: string;
  transactions_update_status?: string;
}

export interface PageTarget {
  itemId: string;
  userId: string;
  institution: { id: string | null; name: string | null };
  runId: string;
}

export interface PageOptions {
  keyring: Keyring;
  /** The cursor this page was fetched with (part of the outbox record ids). */
  fetchedWith: string;
  /** The cursor this pagination began with: kept on the item while has_more, for restarts. */
  loopStart: string;
  receivedAt: Date;
}

export interface PageOutcome { added: number; modified: number; removed: number; records: number; changes: number }

/**
 * Applies one /transactions/sync page in ONE database transaction: added and modified rows
 * (upserted), removals (removed_at), the page's account balances, every real change in the
 * transaction change log and the account records in the stream outbox, the run's progress and the
 * item's new cursor. Either all of it commits or none: a crash loses nothing (the cursor did not
 * move) and duplicates nothing (the page is fetched again and its replay is a no-op, see
 * upsertTransactions). The publisher renders logged changes into stream records later.
 */
export async function applySyncPage(db: Db, target: PageTarget, page: SyncPageData, o: PageOptions): Promise<PageOutcome> {
  const ctx: RecordContext = {
    userId: target.userId,
    itemId: target.itemId,
    receivedAt: o.receivedAt,
    institution: target.institution,
    sourceVersion: o.fetchedWith,
  };
  return db.transaction(async (tx) => {
    const accounts = await writeAccounts(tx, o.keyring, ctx, page.accounts);
    const written = await upsertTransactions(tx, ctx, [...page.added, ...page.modified]);
    const removed = await removeTransactions(tx, ctx, page.removed, { page });
    await notePage(tx, target.runId, {
      added: page.added.length,
      modified: page.modified.length,
      removed: page.removed.length,
      updateStatus: page.transactions_update_status ?? null,
    });
    await tx
      .update(plaidItems)
      .set({ transactionsCursor: page.next_cursor, transactionsLoopCursor: page.has_more ? o.loopStart : null })
      .where(eq(plaidItems.id, target.itemId));
    const changes = written.added + written.modified + removed.length;
    return { added: written.added, modified: written.modified, removed: removed.length, changes, records: 2 * (accounts.added.length + accounts.modified.length + changes) };
  });
}
