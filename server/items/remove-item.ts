import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { plaidItems } from '../../db/schema';
import { writeAudit } from '../audit';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { canChangeItems, lockUser } from '../floats';
import type { Logger } from '../logger';
import { plaidCall, PlaidCallError } from '../plaid/call';
import { plaidFailureToAppError } from '../plaid/errors';
import { accessTokenOf, getItem, getUserItem, itemView, type ItemRow } from './item-access';
import { announceStatusChange, writeItemState } from './item-status';

/**
 * /item/remove (already gone at Plaid counts as done), then the row is marked REMOVED — or, for
 * hygiene's removal of a revoked item, keeps REVOKED (the reason people see) with removed_at set.
 * Data is kept. Runs in the caller's transaction (or database); the caller announces the change.
 */
async function removeWithin(
  db: Db | Tx,
  deps: AppDeps,
  item: ItemRow,
  log: Logger | undefined,
  opts: { keepRevoked?: boolean; reason: string },
) {
  try {
    await plaidCall(db as Db, { endpoint: '/item/remove', itemId: item.id, log }, () =>
      deps.plaid.itemRemove({ access_token: accessTokenOf(deps.keyring, item) }),
    );
  } catch (err) {
    // Already gone at Plaid is the outcome we wanted.
    if (!(err instanceof PlaidCallError)) throw err;
    if (err.failure.error?.error_code !== 'ITEM_NOT_FOUND') throw plaidFailureToAppError(err.failure, '/item/remove');
  }
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(plaidItems).where(eq(plaidItems.id, item.id)).for('update');
    const to = opts.keepRevoked && current!.status === 'REVOKED' ? 'REVOKED' : 'REMOVED';
    return writeItemState(tx, current!, { status: to, removedAt: new Date() }, opts.reason);
  });
}

/** Removes the item at Plaid and marks it (see removeWithin), then announces the status change. */
export async function removeAtPlaid(
  db: Db,
  deps: AppDeps,
  item: ItemRow,
  log: Logger | undefined,
  opts: { keepRevoked?: boolean; reason: string },
) {
  const { row, status } = await removeWithin(db, deps, item, log, opts);
  await announceStatusChange(deps.send, status);
  return row;
}

/** A user removes their bank: refused while a float is active; data is kept, the item marked REMOVED. */
export async function removeItem(db: Db, deps: AppDeps, input: { userId: string; itemId: string }, log?: Logger) {
  // Under the user's lock (as float creation takes it), so no float is created between the check
  // and the removal; the Plaid call is inside the transaction for the same reason.
  const done = await db.transaction(async (tx) => {
    await lockUser(tx, input.userId);
    const item = await getUserItem(tx as unknown as Db, input.userId, input.itemId);
    if (item.status === 'REMOVED') return { item, removed: null };
    const { allowed, reasons } = await canChangeItems(tx, input.userId);
    if (!allowed) throw new AppError('PRECONDITION_FAILED', reasons.join(' '), { displayMessage: reasons.join(' ') });
    return { item, removed: await removeWithin(tx, deps, item, log, { reason: 'user_removed' }) };
  });
  if (!done.removed) return itemView(done.item);
  const { item } = done;
  const removed = done.removed.row;
  await announceStatusChange(deps.send, done.removed.status);
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
  const removed = item.status === 'REMOVED' ? item : await removeAtPlaid(db, deps, item, log, { reason: 'support_removed' });
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
