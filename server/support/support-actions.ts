import type { Db } from '../../db/client';
import { writeAudit } from '../audit';
import type { AppDeps } from '../deps';
import { getItem } from '../items/item-access';
import { queueRemine, resetLogin } from '../items/item-actions';
import type { Logger } from '../logger';

/** A support action on an item: who did it and why (every one leaves an audit row). */
export interface SupportItemAction {
  actorId: string;
  itemId: string;
  reason: string;
}

/** Sandbox and emulator only: makes Plaid report ITEM_LOGIN_REQUIRED for the item. Audited. */
export async function supportResetLogin(db: Db, deps: AppDeps, input: SupportItemAction, log?: Logger) {
  const item = await getItem(db, input.itemId);
  const result = await resetLogin(db, deps, item, log);
  await writeAudit(db, { actorId: input.actorId, actorKind: 'support', action: 'item.reset_login', subjectUserId: item.userId, itemId: item.id, reason: input.reason });
  return result;
}

/** Queues a re-mine of the item (or returns the one already queued). Audited with the run. */
export async function supportRemine(db: Db, deps: AppDeps, input: SupportItemAction) {
  const item = await getItem(db, input.itemId);
  const result = await queueRemine(db, deps, { itemId: item.id, requestedBy: `support:${input.actorId}` });
  await writeAudit(db, { actorId: input.actorId, actorKind: 'support', action: 'item.remine', subjectUserId: item.userId, itemId: item.id, reason: input.reason, details: result });
  return result;
}
