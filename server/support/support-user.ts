import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { floats, institutions, linkEvents, plaidAccounts, plaidItems, plaidWebhooks, syncRuns, users } from '../../db/schema';
import { accountView } from '../accounts/account-queries';
import { AppError } from '../errors';
import { listRuns } from '@tributary/inngest-embedded';
import { syncRunView } from '../items/sync-status';
import { isAbandoned } from './link-session-outcome';

/** One user as support sees them: profile, floats (any status) — no credentials of any kind. */
export async function supportUser(db: Db, userId: string) {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new AppError('NOT_FOUND', 'No such user');
  const userFloats = await db.select().from(floats).where(eq(floats.userId, userId)).orderBy(desc(floats.createdAt));
  return { ...user, floats: userFloats.map((f) => ({ id: f.id, amount: f.amount, currency: f.currency, status: f.status, createdAt: f.createdAt, settledAt: f.settledAt })) };
}

async function itemIdsOf(db: Db, userId: string) {
  const rows = await db.select({ id: plaidItems.id, mainAccountId: plaidItems.mainAccountId }).from(plaidItems).where(eq(plaidItems.userId, userId));
  return rows;
}

/** Every account of the user's items, removed ones included (masks only). */
export async function supportAccounts(db: Db, userId: string) {
  const items = await itemIdsOf(db, userId);
  if (items.length === 0) return [];
  const rows = await db.select().from(plaidAccounts).where(inArray(plaidAccounts.itemId, items.map((i) => i.id))).orderBy(plaidAccounts.itemId, plaidAccounts.name);
  return rows.map((a) => ({ ...accountView(a, items.find((i) => i.id === a.itemId)?.mainAccountId), removedAt: a.removedAt }));
}

/** The webhook timeline across the user's items, newest first. */
export async function supportUserWebhooks(db: Db, input: { userId: string; limit: number }) {
  const items = await itemIdsOf(db, input.userId);
  if (items.length === 0) return [];
  return db
    .select({
      id: plaidWebhooks.id, itemId: plaidWebhooks.itemId, source: plaidWebhooks.source, webhookType: plaidWebhooks.webhookType,
      webhookCode: plaidWebhooks.webhookCode, rawBody: plaidWebhooks.rawBody, verified: plaidWebhooks.verified,
      verificationError: plaidWebhooks.verificationError, state: plaidWebhooks.state, error: plaidWebhooks.error,
      receivedAt: plaidWebhooks.receivedAt, processedAt: plaidWebhooks.processedAt,
    })
    .from(plaidWebhooks)
    .where(inArray(plaidWebhooks.itemId, items.map((i) => i.id)))
    .orderBy(desc(plaidWebhooks.receivedAt))
    .limit(input.limit);
}

/** Sync runs of the user's items (or one item), newest first. */
export async function supportSyncRuns(db: Db, input: { userId?: string; itemId?: string; limit: number }) {
  // Neither an item nor a user: every user's runs (the console's Syncs page).
  const everyone = !input.itemId && !input.userId;
  const ids = input.itemId ? [input.itemId] : input.userId ? (await itemIdsOf(db, input.userId)).map((i) => i.id) : [];
  if (!everyone && ids.length === 0) return [];
  const rows = await db.select().from(syncRuns).where(everyone ? undefined : inArray(syncRuns.itemId, ids)).orderBy(desc(syncRuns.createdAt)).limit(input.limit);
  return rows.map(syncRunView);
}

/** Durable job runs about the user's items (by the event's itemId), newest first, with their errors. */
export async function supportJobRuns(db: Db, input: { userId: string; limit: number }) {
  const items = await itemIdsOf(db, input.userId);
  const perItem = await Promise.all(items.map((i) => listRuns(db, { itemId: i.id, limit: input.limit })));
  return perItem.flat().sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, input.limit);
}

/**
 * Link sessions of the user: events grouped by link_session_id, newest session first. A session
 * with neither success nor exit 30 minutes after its last event was abandoned (the person closed
 * the tab or lost the connection): it is reported so, never as in progress forever.
 */
export async function supportLinkSessions(db: Db, input: { userId: string; limit: number; now?: Date }) {
  const rows = await db.select().from(linkEvents).where(eq(linkEvents.userId, input.userId)).orderBy(desc(linkEvents.createdAt)).limit(input.limit * 20);
  const sessions = new Map<string, { linkSessionId: string; startedAt: Date; institutionId: string | null; outcome: string | null; errorCode: string | null; exitStatus: string | null; events: Array<{ name: string | null; kind: string; errorCode: string | null; at: Date; viewName: string | null }> }>();
  for (const r of [...rows].reverse()) {
    const key = r.linkSessionId ?? 'unknown';
    const s = sessions.get(key) ?? { linkSessionId: key, startedAt: r.createdAt, institutionId: null, outcome: null, errorCode: null, exitStatus: null, events: [] };
    const meta = (r.metadata ?? {}) as { view_name?: string | null };
    s.events.push({ name: r.eventName, kind: r.kind, errorCode: r.errorCode, at: r.createdAt, viewName: meta.view_name ?? null });
    s.institutionId = r.institutionId ?? s.institutionId;
    s.errorCode = r.errorCode ?? s.errorCode;
    if (r.kind === 'success') s.outcome = 'success';
    if (r.kind === 'exit') { s.outcome = r.errorCode ? 'error' : 'exited'; s.exitStatus = r.exitStatus; }
    sessions.set(key, s);
  }
  const now = input.now ?? new Date();
  for (const s of sessions.values()) {
    const last = s.events[s.events.length - 1]?.at ?? s.startedAt;
    if (s.outcome === null && isAbandoned(last, now)) s.outcome = 'abandoned';
  }
  return [...sessions.values()].reverse().slice(0, input.limit);
}

/** Institutions we know, with health from Plaid's status (refreshed by polling), worst first. */
export async function supportInstitutions(db: Db) {
  const rows = await db
    .select({ id: institutions.id, name: institutions.name, logo: institutions.logo, primaryColor: institutions.primaryColor, url: institutions.url, products: institutions.products, health: institutions.health, status: institutions.status, refreshedAt: institutions.refreshedAt })
    .from(institutions)
    .orderBy(institutions.name);
  const rank = { DOWN: 0, DEGRADED: 1, UNKNOWN: 2, HEALTHY: 3 } as const;
  return rows.sort((a, b) => rank[a.health] - rank[b.health]);
}
