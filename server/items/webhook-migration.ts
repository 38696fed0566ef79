import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems } from '../../db/schema';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { ItemRow } from './item-access';
import { DEAD_ITEM_STATUSES } from './lifecycle';
import { callForItem } from './item-plaid';

/** Live items whose webhook at Plaid is not the app's current URL (or not known), oldest first. */
export function itemsWithStaleWebhook(db: Db, webhookUrl: string, limit: number): Promise<ItemRow[]> {
  return db
    .select()
    .from(plaidItems)
    .where(and(notInArray(plaidItems.status, [...DEAD_ITEM_STATUSES]), sql`${plaidItems.webhookUrl} is distinct from ${webhookUrl}`))
    .orderBy(asc(plaidItems.createdAt))
    .limit(limit);
}

export type MoveOutcome = 'moved' | 'failed';

/**
 * Points one item's webhook at the app's current URL with /item/webhook/update. Plaid answers
 * with WEBHOOK_UPDATE_ACKNOWLEDGED at the new URL, which confirms it (webhook_confirmed_at).
 * A Plaid error for this item is logged and left for the next run; it never stops the others.
 */
export async function moveItemWebhook(db: Db, deps: Pick<AppDeps, 'plaid' | 'keyring' | 'config' | 'send'>, item: ItemRow, log?: Logger): Promise<MoveOutcome> {
  const webhook = deps.config.webhookUrl;
  try {
    await callForItem(db, deps, item, '/item/webhook/update', (access_token) => deps.plaid.itemWebhookUpdate({ access_token, webhook }), log);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    log?.warn({ item_id: item.id, code: err.plaidErrorCode ?? err.code }, 'Could not move the item’s webhook; left for the next run');
    return 'failed';
  }
  await db.update(plaidItems).set({ webhookUrl: webhook, webhookConfirmedAt: null }).where(eq(plaidItems.id, item.id));
  return 'moved';
}
