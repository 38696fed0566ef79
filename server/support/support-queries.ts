import { and, asc, desc, eq, ilike, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { auditLog, type ItemStatus, plaidItems, plaidWebhooks, users } from '../../db/schema';
import { itemView } from '../items/item-access';
import { containsPattern } from '../../db/like';


export async function searchUsers(db: Db, input: { query: string; limit: number }) {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status, createdAt: users.createdAt })
    .from(users)
    .where(or(ilike(users.email, containsPattern(input.query)), ilike(users.name, containsPattern(input.query)), eq(users.id, input.query)))
    .orderBy(users.email)
    .limit(input.limit);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Items for triage: by status, user or institution, or found by `search` (our item id, Plaid's item
 * id, or an institution's id or name). Items in error come oldest first, the rest newest first.
 */
export async function supportItems(db: Db, input: { status?: ItemStatus; userId?: string; institutionId?: string; search?: string; limit: number }) {
  const q = input.search?.trim();
  const rows = await db
    .select({ item: plaidItems, email: users.email })
    .from(plaidItems)
    .innerJoin(users, eq(users.id, plaidItems.userId))
    .where(
      and(
        input.status ? eq(plaidItems.status, input.status) : undefined,
        input.userId ? eq(plaidItems.userId, input.userId) : undefined,
        input.institutionId ? eq(plaidItems.institutionId, input.institutionId) : undefined,
        q
          ? or(
            UUID.test(q) ? eq(plaidItems.id, q) : undefined,
            eq(plaidItems.plaidItemId, q),
            eq(plaidItems.institutionId, q),
            ilike(plaidItems.institutionName, containsPattern(q)),
          )
          : undefined,
      ),
    )
    .orderBy(input.status === 'ERROR' ? asc(plaidItems.updatedAt) : desc(plaidItems.createdAt))
    .limit(input.limit);
  return rows.map((r) => ({ ...itemView(r.item), userId: r.item.userId, userEmail: r.email, plaidItemId: r.item.plaidItemId }));
}

/** The webhook timeline: raw bodies (Plaid's webhooks carry no tokens) and verification results. */
export async function supportWebhooks(db: Db, input: { itemId?: string; limit: number }) {
  return db
    .select({
      id: plaidWebhooks.id,
      source: plaidWebhooks.source,
      itemId: plaidWebhooks.itemId,
      plaidItemId: plaidWebhooks.plaidItemId,
      webhookType: plaidWebhooks.webhookType,
      webhookCode: plaidWebhooks.webhookCode,
      rawBody: plaidWebhooks.rawBody,
      verified: plaidWebhooks.verified,
      verificationError: plaidWebhooks.verificationError,
      unknownItem: plaidWebhooks.unknownItem,
      state: plaidWebhooks.state,
      error: plaidWebhooks.error,
      receivedAt: plaidWebhooks.receivedAt,
      processedAt: plaidWebhooks.processedAt,
    })
    .from(plaidWebhooks)
    .where(input.itemId ? eq(plaidWebhooks.itemId, input.itemId) : undefined)
    .orderBy(desc(plaidWebhooks.receivedAt))
    .limit(input.limit);
}

/** The audit log, newest first, with each person who acted by name and email (staff, or the customer). */
export async function supportAudit(db: Db, input: { subjectUserId?: string; itemId?: string; limit: number }) {
  const rows = await db
    .select({ row: auditLog, actorName: users.name, actorEmail: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(
      and(
        input.subjectUserId ? eq(auditLog.subjectUserId, input.subjectUserId) : undefined,
        input.itemId ? eq(auditLog.itemId, input.itemId) : undefined,
      ),
    )
    .orderBy(desc(auditLog.createdAt))
    .limit(input.limit);
  return rows.map((r) => ({ ...r.row, actorName: r.actorName, actorEmail: r.actorEmail }));
}
