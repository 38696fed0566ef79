import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidItems, plaidWebhooks, users } from '../../db/schema';

/** Test-only: a user with one item, and stored webhooks with chosen bodies and receipt times. */
export async function createItem(db: Db, o: Partial<typeof plaidItems.$inferInsert> = {}) {
  const userId = o.userId ?? randomUUID();
  if (!o.userId) await db.insert(users).values({ id: userId, email: `${userId}@example.com`, name: 'Test' });
  const [item] = await db
    .insert(plaidItems)
    .values({
      plaidItemId: `item-${randomUUID()}`,
      userId,
      institutionId: 'ins_109508',
      institutionName: 'First Platypus Bank',
      accessTokenEnc: 'v1:test:not-a-real-ciphertext',
      ...o,
    })
    .returning();
  return item!;
}

export async function getItem(db: Db, id: string) {
  const [item] = await db.select().from(plaidItems).where(eq(plaidItems.id, id));
  return item!;
}

export async function storeWebhook(
  db: Db,
  item: { id: string; plaidItemId: string },
  body: Record<string, unknown> & { webhook_type: string; webhook_code: string },
  o: { receivedAt?: Date; state?: 'RECEIVED' | 'QUEUED' | 'REJECTED'; verified?: boolean } = {},
) {
  const [row] = await db
    .insert(plaidWebhooks)
    .values({
      source: 'plaid',
      itemId: item.id,
      plaidItemId: item.plaidItemId,
      webhookType: body.webhook_type,
      webhookCode: body.webhook_code,
      rawBody: JSON.stringify({ ...body, item_id: item.plaidItemId, environment: 'sandbox' }, null, 2),
      verified: o.verified ?? true,
      dedupeKey: randomUUID(),
      state: o.state ?? 'QUEUED',
      ...(o.receivedAt ? { receivedAt: o.receivedAt } : {}),
    })
    .returning();
  return row!;
}

export async function getWebhook(db: Db, id: string) {
  const [row] = await db.select().from(plaidWebhooks).where(eq(plaidWebhooks.id, id));
  return row!;
}

export const loginRequired = {
  webhook_type: 'ITEM',
  webhook_code: 'ERROR',
  error: { error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED', error_message: 'login required', display_message: null, status: 400 },
};
