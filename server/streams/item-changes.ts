import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { plaidItems } from '../../db/schema';
import type { ItemChangeType } from './refined-schema';
import { appendToOutbox } from './outbox';
import { itemRecords, type RecordContext } from './records';

type ItemRow = typeof plaidItems.$inferSelect;

/** The record context of an item's changes made now (live reads, update mode, link). */
export function itemRecordContext(item: Pick<ItemRow, 'id' | 'userId' | 'institutionId' | 'institutionName'>, receivedAt = new Date()): RecordContext {
  return { userId: item.userId, itemId: item.id, receivedAt, institution: { id: item.institutionId, name: item.institutionName } };
}

/**
 * Publishes an item-level record (linked, status changed with the lifecycle's reason, removed, or
 * a support snapshot) in the CALLER's transaction, after the caller wrote the item's row in it:
 * bumps the item's stream version and appends the record to both account streams. Reads the item
 * as the transaction now sees it, so the record carries the status just written.
 */
export async function recordItemChange(tx: Tx | Db, itemId: string, kind: ItemChangeType, reason: string | null, at = new Date()): Promise<void> {
  const [item] = await tx
    .update(plaidItems)
    .set({ streamVersion: sql`${plaidItems.streamVersion} + 1` })
    .where(eq(plaidItems.id, itemId))
    .returning();
  if (!item) throw new Error(`recordItemChange: no item ${itemId}`);
  await appendToOutbox(tx, itemRecords(item, kind, reason, item.streamVersion, at));
}
