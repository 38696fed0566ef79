import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems } from '../../db/schema';
import { writeAudit } from '../audit';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { canChangeItems } from '../floats';
import type { Logger } from '../logger';
import { recordItemChange } from '../streams/item-changes';
import { callForItem } from './item-plaid';
import { getItem, getUserItem, itemView, type ItemRow } from './item-access';

/**
 * /item/remove (already gone at Plaid counts as done), then the row is marked REMOVED, with the
 * item's "removed" record (and `reason`) for the streams in the same transaction; data is kept.
 */
export async function removeAtPlaid(db: Db, deps: AppDeps, item: ItemRow, reason: string, log?: Logger) {
  try {
    await callForItem(db, deps, item, '/item/remove', (access_token) => deps.plaid.itemRemove({ access_token }), log);
  } catch (err) {
    // Already gone at Plaid is the outcome we wanted.
    if (!(err instanceof AppError && err.code === 'PRECONDITION_FAILED' && err.plaidErrorCode === 'ITEM_NOT_FOUND')) throw err;
  }
  return db.transaction(async (tx) => {
    await tx.update(plaidItems).set({ status: 'REMOVED', removedAt: new Date() }).where(eq(plaidItems.id, item.id));
    await recordItemChange(tx, item.id, 'removed', reason);
    const [removed] = await tx.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    return removed!;
  });
}

/** A user removes their bank: refused while a float is active; data is kept, the item marked REMOVED. */
export async function removeItem(db: Db, deps: AppDeps, input: { userId: string; itemId: string }, log?: Logger) {
  const item = await getUserItem(db, input.userId, input.itemId);
  if (item.status === 'REMOVED') return itemView(item);
  const { allowed, reasons } = await canChangeItems(db, input.userId);
  if (!allowed) throw new AppError('PRECONDITION_FAILED', reasons.join(' '), { displayMessage: reasons.join(' ') });
  const removed = await removeAtPlaid(db, deps, item, 'user_removed', log);
  await writeAudit(db, { actorId: input.userId, actorKind: 'user', action: 'item.remove', subjectUserId: input.userId, itemId: item.id });
  return itemView(removed);
}

/** Support removes an item even with an active float; the reason goes into the audit log. */
export async function forceRemoveItem(
  db: Db,
  deps: AppDeps,
  input: { actorId: string; itemId: string; reason: string },
  log?: Logger,
) {
  const item = await getItem(db, input.itemId);
  const removed = item.status === 'REMOVED' ? item : await removeAtPlaid(db, deps, item, 'support_removed', log);
  await writeAudit(db, {
    actorId: input.actorId,
    actorKind: 'support',
    action: 'item.force_remove',
    subjectUserId: item.userId,
    itemId: item.id,
    reason: input.reason,
    details: { previousStatus: item.status },
  });
  return itemView(removed);
}
