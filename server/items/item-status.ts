import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { type ItemStatus, itemStatusChanges, plaidItems } from '../../db/schema';
import { type AnalyticsSink, type TrackInput, track } from '../analytics/track';
import type { SendEvents } from '../deps';
import { appEvent, itemStatusChanged } from '../events';
import type { PlaidFailure } from '../plaid/errors';
import { recordItemChange } from '../streams/item-changes';
import { DEAD_ITEM_STATUSES, ruleForPlaidError } from './lifecycle';
import type { ItemRow } from './item-access';

/**
 * The only writer of an item's lifecycle columns (status, error, deadlines, repair and removal
 * times): every door hands its change here, inside its own transaction, and announces the result
 * after commit. test/layout/item-status-writer.test.ts fails if anything else writes them.
 */
export type ItemStateChange = Partial<
  Pick<
    typeof plaidItems.$inferInsert,
    | 'status'
    | 'errorCode'
    | 'errorMessage'
    | 'errorDisplayMessage'
    | 'erroredAt'
    | 'repairedAt'
    | 'disconnectAt'
    | 'consentExpiresAt'
    | 'newAccountsAvailable'
    | 'webhookConfirmedAt'
    | 'removedAt'
    | 'mainAccountId'
  >
>;

/** A committed change of status: what `item/status.changed` carries. */
export interface StatusChange {
  itemId: string;
  userId: string;
  from: ItemStatus;
  to: ItemStatus;
  /** The Plaid error or webhook code behind it; null for a repair or a removal by a person. */
  reason: string | null;
  /** ISO time. */
  at: string;
}

/** Writes `change` on the item (the caller holds its row lock); returns the status change, if any. */
export async function writeItemState(tx: Tx | Db, item: ItemRow, change: ItemStateChange, reason: string | null): Promise<{ row: ItemRow; status: StatusChange | null }> {
  if (Object.keys(change).length === 0) return { row: item, status: null };
  const [row] = await tx.update(plaidItems).set(change).where(eq(plaidItems.id, item.id)).returning();
  const to = change.status ?? item.status;
  const at = new Date();
  const status: StatusChange | null =
    to === item.status ? null : { itemId: item.id, userId: item.userId, from: item.status, to, reason, at: at.toISOString() };
  // Kept for support's item timeline, in the same transaction as the change itself.
  if (status) await tx.insert(itemStatusChanges).values({ itemId: item.id, fromStatus: status.from, toStatus: status.to, reason, createdAt: at });
  // The streams hear of it in the same transaction: a removal, or a change of status with its reason.
  const kind = change.removedAt ? 'removed' : status ? 'status_changed' : null;
  if (kind) {
    await recordItemChange(tx, item.id, kind, reason);
    const [latest] = await tx.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    return { row: latest!, status };
  }
  return { row: row!, status };
}

/** The event for a committed status change; its id makes a repeated send one event. */
export function statusChangedEvent(change: StatusChange) {
  return appEvent(itemStatusChanged, change, { id: `status:${change.itemId}:${change.to}:${change.at}` });
}

export async function announceStatusChange(send: SendEvents, change: StatusChange | null): Promise<void> {
  if (change) await send([statusChangedEvent(change)]);
}

/**
 * "Item Errored" once per problem: the item, the code and the repair it follows (every door —
 * a webhook, a sync, a live call — computes the same key, so the first one counts).
 */
export function itemErroredEvent(
  item: Pick<ItemRow, 'id' | 'userId' | 'institutionId' | 'institutionName' | 'repairedAt' | 'createdAt'>,
  error: { code: string; type: string | null },
  properties: TrackInput['properties'],
): TrackInput {
  const since = (item.repairedAt ?? item.createdAt).toISOString();
  return {
    event: 'Item Errored',
    userId: item.userId,
    properties: {
      itemId: item.id,
      institutionId: item.institutionId,
      institutionName: item.institutionName,
      errorCode: error.code,
      errorType: error.type,
      ...properties,
    },
    dedupeKey: `errored:${item.id}:${error.code}:${since}`,
  };
}

/**
 * A Plaid call for the item failed: move the item as the lifecycle says (under its row lock; a
 * removed or revoked item stays as it is, and the same problem again changes nothing), then
 * announce the change and send "Item Errored". Errors that are not item states change nothing.
 */
export async function recordItemFailure(
  db: Db,
  deps: { send: SendEvents; analytics?: AnalyticsSink },
  itemId: string,
  failure: PlaidFailure,
  door: string,
): Promise<StatusChange | null> {
  const rule = ruleForPlaidError(failure.error, failure.httpStatus);
  const code = failure.error?.error_code;
  if (!rule?.status || !code) return null;
  const result = await db.transaction(async (tx) => {
    const [item] = await tx.select().from(plaidItems).where(eq(plaidItems.id, itemId)).for('update');
    if (!item || DEAD_ITEM_STATUSES.includes(item.status)) return null;
    if (item.status === rule.status && item.errorCode === code) return null;
    // A pending deadline does not hide a worse state, nor replace one.
    if (rule.status === 'PENDING_DISCONNECT' && item.status !== 'ACTIVE') return null;
    const { status } = await writeItemState(
      tx,
      item,
      {
        status: rule.status!,
        errorCode: code,
        errorMessage: failure.error?.error_message ?? null,
        errorDisplayMessage: failure.error?.display_message ?? null,
        erroredAt: new Date(),
      },
      code,
    );
    return { item, status };
  });
  if (!result) return null;
  if (rule.event) {
    await track(db, itemErroredEvent(result.item, { code, type: failure.error?.error_type ?? null }, { via: door }), deps.analytics);
  }
  await announceStatusChange(deps.send, result.status);
  return result.status;
}
