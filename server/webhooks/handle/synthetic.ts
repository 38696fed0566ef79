import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { plaidItems, plaidWebhooks } from '../../../db/schema';

const HOUR = 3_600_000;

/**
 * At sign-in: for each ACTIVE item of the user whose last successful sync is older than the
 * threshold (or that never synced), store a synthetic TRANSACTIONS DEFAULT_UPDATE — exactly the
 * webhook Plaid would have sent — so it is routed like a real one. The dedupe key buckets time
 * into threshold-long windows: however often the person signs in, one per item per window.
 * Returns the ids of the rows stored now (already-stored ones are not returned again).
 */
export async function storeFreshnessWebhooks(
  db: Db,
  input: { userId: string; thresholdHours: number; environment: 'sandbox' | 'production'; now?: Date },
): Promise<string[]> {
  const now = input.now ?? new Date();
  const thresholdMs = input.thresholdHours * HOUR;
  const stale = await db
    .select({ id: plaidItems.id, plaidItemId: plaidItems.plaidItemId })
    .from(plaidItems)
    .where(
      and(
        eq(plaidItems.userId, input.userId),
        eq(plaidItems.status, 'ACTIVE'),
        or(isNull(plaidItems.lastSyncedAt), lt(plaidItems.lastSyncedAt, new Date(now.getTime() - thresholdMs))),
      ),
    );
  if (stale.length === 0) return [];
  const window = Math.floor(now.getTime() / thresholdMs);
  const rows = await db
    .insert(plaidWebhooks)
    .values(
      stale.map((item) => ({
        source: 'synthetic' as const,
        itemId: item.id,
        plaidItemId: item.plaidItemId,
        webhookType: 'TRANSACTIONS',
        webhookCode: 'DEFAULT_UPDATE',
        rawBody: JSON.stringify(
          { webhook_type: 'TRANSACTIONS', webhook_code: 'DEFAULT_UPDATE', item_id: item.plaidItemId, new_transactions: 0, error: null, environment: input.environment },
          null,
          2,
        ),
        headers: { 'x-tributary-synthetic': 'login-freshness' },
        // Nothing to verify: we wrote it ourselves, from our own item row.
        verified: true,
        dedupeKey: `synthetic:login-freshness:${item.id}:${input.thresholdHours}h:${window}`,
        state: 'RECEIVED' as const,
        receivedAt: now,
      })),
    )
    .onConflictDoNothing({ target: plaidWebhooks.dedupeKey })
    .returning({ id: plaidWebhooks.id });
  return rows.map((r) => r.id);
}

/**
 * Accepted webhooks that were never handed on (the send failed, or the process died between
 * storing and sending): RECEIVED, unhandled and older than `olderThanMs`.
 */
export async function findStuckWebhooks(db: Db, o: { olderThanMs: number; limit?: number; now?: Date }): Promise<string[]> {
  const cutoff = new Date((o.now ?? new Date()).getTime() - o.olderThanMs);
  const rows = await db
    .select({ id: plaidWebhooks.id })
    .from(plaidWebhooks)
    .where(
      and(
        eq(plaidWebhooks.state, 'RECEIVED'),
        eq(plaidWebhooks.verified, true),
        isNull(plaidWebhooks.processedAt),
        lt(plaidWebhooks.receivedAt, cutoff),
      ),
    )
    .orderBy(plaidWebhooks.receivedAt)
    .limit(o.limit ?? 500);
  return rows.map((r) => r.id);
}

/** After a re-send: QUEUED, so the next sweep leaves them to the handler instead of sending again. */
export async function markQueued(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(plaidWebhooks)
    .set({ state: 'QUEUED' })
    .where(and(inArray(plaidWebhooks.id, ids), eq(plaidWebhooks.state, 'RECEIVED'), isNull(plaidWebhooks.processedAt)));
}
