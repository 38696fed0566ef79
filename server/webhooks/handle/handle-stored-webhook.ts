import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { ZodError } from 'zod';
import type { Db, Tx } from '../../../db/client';
import { plaidItems, plaidTransactions, plaidWebhooks, type WebhookState } from '../../../db/schema';
import type { Logger } from '../../logger';
import { removeTransactions } from '../../transactions/transaction-writes';
import type { RecordContext } from '../../streams/records';
import { decideWebhook, type FollowUps, NO_FOLLOW_UPS } from './decide';
import { type LaterFacts, PROBLEM_CODES } from './item-rules';
import { itemErrorBody, transactionsRemovedBody } from './payloads';
import { writeItemState } from '../../items/item-status';

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
 * Step one of handling: in one transaction, with the webhook and its item locked, carry out what
 * `decideWebhook` decided and record the webhook's final state with its follow-ups. A webhook
 * already handled (processed_at set) changes nothing; its recorded follow-ups are returned again.
 */
export async function applyStoredWebhook(db: Db, webhookId: string, log: Logger): Promise<WebhookOutcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(plaidWebhooks).where(eq(plaidWebhooks.id, webhookId)).for('update');
    if (!row) throw new WebhookNotFoundError(webhookId);
    if (row.processedAt || row.state === 'REJECTED' || !row.verified) {
      // Invariant 2: an unverified webhook is never acted on, a handled one never twice.
      return outcome(row, row.state, row.error, true, row.followUps ?? NO_FOLLOW_UPS);
    }
    const item = row.itemId
      ? ((await tx.select().from(plaidItems).where(eq(plaidItems.id, row.itemId)).for('update'))[0] ?? null)
      : null;
    const [state, note, followUps] = await act(tx, row, item, log);
    await tx.update(plaidWebhooks).set({ state, error: note, processedAt: new Date(), followUps }).where(eq(plaidWebhooks.id, row.id));
    return outcome(row, state, note, false, followUps);
  });
}

function outcome(row: WebhookRow, state: WebhookState, note: string | null, alreadyHandled: boolean, followUps: FollowUps): WebhookOutcome {
  return { webhookId: row.id, itemId: row.itemId, state, note, alreadyHandled, followUps };
}

async function act(tx: Tx, row: WebhookRow, item: ItemRow | null, log: Logger): Promise<[WebhookState, string | null, FollowUps]> {
  const code = `${row.webhookType}.${row.webhookCode}`;
  const wlog = log.child({ webhook_id: row.id, item_id: row.itemId, plaid_item_id: row.plaidItemId, webhook: code });
  try {
    const body: unknown = JSON.parse(row.rawBody);
    const verdict = decideWebhook(row, item, body, item ? await laterFacts(tx, row) : NO_LATER_FACTS);
    if (!verdict) {
      wlog.warn('Unhandled webhook code: stored and kept as IGNORED');
      return ['IGNORED', `unhandled webhook ${code}`, NO_FOLLOW_UPS];
    }
    if (verdict.state === 'IGNORED') {
      wlog.info({ reason: verdict.note }, 'Webhook not acted on');
      return ['IGNORED', verdict.note, NO_FOLLOW_UPS];
    }
    const { status } = await writeItemState(tx, item!, verdict.itemChange, reasonOf(row, body));
    if (verdict.removeTransactions) await markRemoved(tx, item!, row, body);
    wlog.info({ change: Object.keys(verdict.itemChange) }, 'Webhook handled');
    return ['PROCESSED', null, status ? { ...verdict.followUps, statusChange: status } : verdict.followUps];
  } catch (err) {
    // A body that does not parse will not parse on a retry either: fail it now, keep the reason.
    if (err instanceof SyntaxError || err instanceof ZodError) {
      wlog.warn({ err: err.message }, 'Webhook body could not be read');
      return ['FAILED', `unreadable body: ${err.message.slice(0, 500)}`, NO_FOLLOW_UPS];
    }
    throw err;
  }
}

/** The lifecycle's reason for a change: the Plaid error the webhook carries, else its code. */
function reasonOf(row: WebhookRow, body: unknown): string | null {
  const error = itemErrorBody.safeParse(body);
  return (error.success ? error.data.error?.error_code : null) ?? row.webhookCode;
}

const NO_LATER_FACTS: LaterFacts = { repairedAfter: false, problemAfter: false };

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
  const ctx: RecordContext = {
    userId: item.userId, itemId: item.id, receivedAt: row.receivedAt,
    institution: { id: item.institutionId, name: item.institutionName }, sourceVersion: `webhook:${row.id}`,
  };
  await removeTransactions(tx, ctx, ids.map((transaction_id) => ({ transaction_id })), { removedAt: row.receivedAt });
}

/** After retries ran out: FAILED with the error, unless a run did handle it meanwhile. */
export async function markWebhookFailed(db: Db, webhookId: string, message: string): Promise<void> {
  await db
    .update(plaidWebhooks)
    .set({ state: 'FAILED', error: message.slice(0, 2000), processedAt: new Date() })
    .where(and(eq(plaidWebhooks.id, webhookId), isNull(plaidWebhooks.processedAt)));
}

