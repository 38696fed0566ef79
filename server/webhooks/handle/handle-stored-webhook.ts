import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { ZodError } from 'zod';
import type { Db, Tx } from '../../../db/client';
import { plaidItems, plaidTransactions, plaidWebhooks, type WebhookState } from '../../../db/schema';
import { type AnalyticsSink, track } from '../../analytics/track';
import type { AppDeps, AppEvent } from '../../deps';
import type { Logger } from '../../logger';
import { appendTransactionChanges, removalChanges } from '../../streams/transaction-changes';
import type { RecordContext } from '../../streams/records';
import { type FollowUps, followUpsFor } from './follow-ups';
import { type Decision, decideItemWebhook, type LaterFacts, PROBLEM_CODES } from './item-rules';
import { includes, SYNC_CODES, transactionsRemovedBody } from './payloads';

type WebhookRow = typeof plaidWebhooks.$inferSelect;
type ItemRow = typeof plaidItems.$inferSelect;

export interface WebhookOutcome {
  webhookId: string;
  itemId: string | null;
  state: WebhookState;
  /** Why it was ignored or failed; null when acted on. */
  note: string | null;
  /** True when an earlier run had already handled it: nothing in the database changed this time. */
  alreadyHandled: boolean;
  followUps: FollowUps;
}

export class WebhookNotFoundError extends Error {
  constructor(webhookId: string) {
    super(`No stored webhook ${webhookId}`);
    this.name = 'WebhookNotFoundError';
  }
}

/**
 * Step one of handling: in one transaction, with the webhook and its item locked, apply the
 * routing rules to the database and record the webhook's final state. A webhook already handled
 * (processed_at set) changes nothing; its follow-ups are recomputed from what was recorded.
 */
export async function applyStoredWebhook(db: Db, webhookId: string, log: Logger): Promise<WebhookOutcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(plaidWebhooks).where(eq(plaidWebhooks.id, webhookId)).for('update');
    if (!row) throw new WebhookNotFoundError(webhookId);
    const item = row.itemId
      ? ((await tx.select().from(plaidItems).where(eq(plaidItems.id, row.itemId)).for('update'))[0] ?? null)
      : null;
    if (row.processedAt || row.state === 'REJECTED' || !row.verified) {
      // Invariant 2: an unverified webhook is never acted on, a handled one never twice.
      return outcome(row, row.state, row.error, true, followUpsFor(row, item));
    }
    const [state, note] = await route(tx, row, item, log);
    const [final] = await tx
      .update(plaidWebhooks)
      .set({ state, error: note, processedAt: new Date() })
      .where(eq(plaidWebhooks.id, row.id))
      .returning();
    return outcome(row, state, note, false, followUpsFor(final!, item));
  });
}

function outcome(row: WebhookRow, state: WebhookState, note: string | null, alreadyHandled: boolean, followUps: FollowUps): WebhookOutcome {
  return { webhookId: row.id, itemId: row.itemId, state, note, alreadyHandled, followUps };
}

async function route(tx: Tx, row: WebhookRow, item: ItemRow | null, log: Logger): Promise<[WebhookState, string | null]> {
  const code = `${row.webhookType}.${row.webhookCode}`;
  const wlog = log.child({ webhook_id: row.id, item_id: row.itemId, plaid_item_id: row.plaidItemId, webhook: code });
  if (!item) return ['IGNORED', 'no item for this webhook'];
  if (item.status === 'REMOVED') return ['IGNORED', 'item is REMOVED; a late webhook never resurrects it'];
  let body: unknown;
  try {
    body = JSON.parse(row.rawBody);
    const decision = await decide(tx, row, item, body);
    if (!decision) {
      wlog.warn('Unhandled webhook code: stored and kept as IGNORED');
      return ['IGNORED', `unhandled webhook ${code}`];
    }
    if ('ignore' in decision) {
      wlog.info({ reason: decision.ignore }, 'Webhook not acted on');
      return ['IGNORED', decision.ignore];
    }
    if (Object.keys(decision.apply).length > 0) {
      await tx.update(plaidItems).set(decision.apply).where(eq(plaidItems.id, item.id));
    }
    if (row.webhookType === 'TRANSACTIONS' && row.webhookCode === 'TRANSACTIONS_REMOVED') {
      await markRemoved(tx, item, row, body);
    }
    wlog.info({ change: Object.keys(decision.apply) }, 'Webhook handled');
    return ['PROCESSED', null];
  } catch (err) {
    // A body that does not parse will not parse on a retry either: fail it now, keep the reason.
    if (err instanceof SyntaxError || err instanceof ZodError) {
      wlog.warn({ err: err.message }, 'Webhook body could not be read');
      return ['FAILED', `unreadable body: ${err.message.slice(0, 500)}`];
    }
    throw err;
  }
}

async function decide(tx: Tx, row: WebhookRow, item: ItemRow, body: unknown): Promise<Decision | null> {
  if (row.webhookType === 'TRANSACTIONS') {
    if (item.status === 'REVOKED') return { ignore: 'item is REVOKED: its access token no longer works' };
    if (includes(SYNC_CODES, row.webhookCode) || row.webhookCode === 'TRANSACTIONS_REMOVED') return { apply: {} };
    return null;
  }
  if (row.webhookType !== 'ITEM' || !row.webhookCode) return null;
  return decideItemWebhook(row.webhookCode, body, item, row.receivedAt, await laterFacts(tx, row));
}

/** Item webhooks stored after this one (exact database time, not the millisecond-rounded JS copy). */
async function laterFacts(tx: Tx, row: WebhookRow): Promise<LaterFacts> {
  const later = await tx
    .selectDistinct({ code: plaidWebhooks.webhookCode })
    .from(plaidWebhooks)
    .where(
      and(
        eq(plaidWebhooks.itemId, row.itemId!),
        eq(plaidWebhooks.webhookType, 'ITEM'),
        eq(plaidWebhooks.verified, true),
        ne(plaidWebhooks.state, 'REJECTED'),
        ne(plaidWebhooks.id, row.id),
        inArray(plaidWebhooks.webhookCode, ['LOGIN_REPAIRED', ...PROBLEM_CODES]),
        sql`${plaidWebhooks.receivedAt} > (select w.received_at from plaid_webhooks w where w.id = ${row.id})`,
      ),
    );
  const codes = later.map((l) => l.code);
  return { repairedAfter: codes.includes('LOGIN_REPAIRED'), problemAfter: codes.some((c) => c !== 'LOGIN_REPAIRED') };
}

/**
 * Only this item's transactions; an id the sync already removed keeps its first removal time.
 * The removals go to the transaction change log (for the streams) in the same transaction: a
 * later sync finds these rows already removed and logs nothing, so without them consumers would
 * never hear of it.
 */
async function markRemoved(tx: Tx, item: ItemRow, row: WebhookRow, body: unknown) {
  const ids = transactionsRemovedBody.parse(body).removed_transactions;
  if (ids.length === 0) return;
  const removed = await tx
    .update(plaidTransactions)
    .set({ removedAt: row.receivedAt, updatedAt: new Date() })
    .where(and(eq(plaidTransactions.itemId, item.id), inArray(plaidTransactions.id, ids), isNull(plaidTransactions.removedAt)))
    .returning({ transaction_id: plaidTransactions.id, account_id: plaidTransactions.accountId });
  const ctx: RecordContext = {
    userId: item.userId, itemId: item.id, receivedAt: row.receivedAt,
    institution: { id: item.institutionId, name: item.institutionName }, sourceVersion: `webhook:${row.id}`,
  };
  await appendTransactionChanges(tx, ctx, removalChanges({ added: [], modified: [] }, removed));
}

/** The sync request a handled webhook sends; its id makes a repeat a no-op in Inngest and the runner. */
export function syncRequestFor(webhookId: string, itemId: string) {
  return { name: 'item/sync.requested', data: { itemId, trigger: 'webhook' }, id: `sync-for-webhook-${webhookId}` };
}

/** Step two: analytics and the sync request, each idempotent by its key. */
export async function runFollowUps(db: Db, deps: Pick<AppDeps, 'send'>, o: WebhookOutcome, sink?: AnalyticsSink): Promise<void> {
  for (const event of o.followUps.analytics) await track(db, event, sink);
  if (o.followUps.syncItemId) await deps.send([syncRequestFor(o.webhookId, o.followUps.syncItemId) as AppEvent]);
}

/** Handles one stored webhook end to end (outside Inngest: tests, scripts). */
export async function handleStoredWebhook(
  db: Db,
  deps: Pick<AppDeps, 'send'>,
  webhookId: string,
  log: Logger,
  sink?: AnalyticsSink,
): Promise<WebhookOutcome> {
  const o = await applyStoredWebhook(db, webhookId, log);
  await runFollowUps(db, deps, o, sink);
  return o;
}

/** After retries ran out: FAILED with the error, unless a run did handle it meanwhile. */
export async function markWebhookFailed(db: Db, webhookId: string, message: string): Promise<void> {
  await db
    .update(plaidWebhooks)
    .set({ state: 'FAILED', error: message.slice(0, 2000), processedAt: new Date() })
    .where(and(eq(plaidWebhooks.id, webhookId), isNull(plaidWebhooks.processedAt)));
}

