import type { plaidItems, plaidWebhooks, WebhookFollowUps } from '../../../db/schema';
import { itemErroredEvent } from '../../items/item-status';
import { ruleForPlaidError } from '../../items/lifecycle';
import { itemRepairedEvent } from '../../items/repair-event';
import { decideItemWebhook, type ItemChange, type LaterFacts } from './item-rules';
import { authUpdateBody, includes, itemErrorBody, REVOKED_CODES, SYNC_CODES } from './payloads';

type WebhookRow = Pick<typeof plaidWebhooks.$inferSelect, 'id' | 'webhookType' | 'webhookCode' | 'receivedAt'>;
type ItemRow = Pick<typeof plaidItems.$inferSelect, 'id' | 'userId' | 'status' | 'erroredAt' | 'repairedAt' | 'createdAt' | 'disconnectAt' | 'webhookUrl' | 'institutionId' | 'institutionName'>;

export type FollowUps = WebhookFollowUps;
export const NO_FOLLOW_UPS: FollowUps = { syncItemId: null, analytics: [] };

/** Everything a stored webhook does, decided at once: the database change and what follows it. */
export interface Verdict {
  state: 'PROCESSED' | 'IGNORED';
  /** Why it was ignored; null when acted on. */
  note: string | null;
  /** Columns of the item to set (possibly none). */
  itemChange: ItemChange;
  /** TRANSACTIONS_REMOVED: mark these of the item's transactions removed. */
  removeTransactions: boolean;
  /** Recorded with the webhook, so a retry after a crash repeats exactly these (each keyed). */
  followUps: FollowUps;
}

const ignored = (note: string): Verdict => ({ state: 'IGNORED', note, itemChange: {}, removeTransactions: false, followUps: NO_FOLLOW_UPS });

/**
 * The one place that decides what a stored, verified webhook does — a pure function of the
 * webhook, its body, the item's current state and what was stored after it (out-of-order
 * delivery, see README.md). Returns null for a code we do not handle; a body that does not
 * parse throws (SyntaxError/ZodError) and the caller fails the webhook.
 */
export function decideWebhook(row: WebhookRow, item: ItemRow | null, body: unknown, later: LaterFacts): Verdict | null {
  if (!item) return ignored('no item for this webhook');
  if (item.status === 'REMOVED') return ignored('item is REMOVED; a late webhook never resurrects it');
  const code = row.webhookCode;
  if (row.webhookType === 'TRANSACTIONS') {
    if (item.status === 'REVOKED') return ignored('item is REVOKED: its access token no longer works');
    if (includes(SYNC_CODES, code)) return processed({}, { syncItemId: item.id, analytics: [] });
    if (code === 'TRANSACTIONS_REMOVED') return { ...processed({}, NO_FOLLOW_UPS), removeTransactions: true };
    return null;
  }
  if (row.webhookType === 'AUTH' && code === 'DEFAULT_UPDATE') {
    if (item.status === 'REVOKED') return ignored('item is REVOKED: its access token no longer works');
    const body_ = authUpdateBody.parse(body);
    const updatedAccountIds = Object.keys(body_.account_ids_with_updated_auth ?? {});
    return processed({}, { ...NO_FOLLOW_UPS, authNumbers: { itemId: item.id, updatedAccountIds } });
  }
  if (row.webhookType !== 'ITEM' || !code) return null;
  const decision = decideItemWebhook(code, body, item, row.receivedAt, later);
  if (!decision) return null;
  if ('ignore' in decision) return ignored(decision.ignore);
  return processed(decision.apply, itemFollowUps(row, item, code, body));
}

function processed(itemChange: ItemChange, followUps: FollowUps): Verdict {
  return { state: 'PROCESSED', note: null, itemChange, removeTransactions: false, followUps };
}

/** Acted-on ITEM webhooks: an error or revocation is "Item Errored", a repair "Item Repaired" (one per repair, see repair-event.ts) and a sync. */
function itemFollowUps(row: WebhookRow, item: ItemRow, code: string, body: unknown): FollowUps {
  if (code === 'ERROR' || includes(REVOKED_CODES, code)) {
    const { error } = itemErrorBody.parse(body);
    const errorCode = error?.error_code ?? code;
    const rule = ruleForPlaidError(error ?? null, null);
    if (rule && !rule.event) return NO_FOLLOW_UPS;
    // Keyed by the problem, not the webhook: a sync that met it first sent the same event.
    return {
      syncItemId: null,
      analytics: [itemErroredEvent(item, { code: errorCode, type: error?.error_type ?? null }, { webhookCode: code, webhookId: row.id, via: 'webhook' })],
    };
  }
  if (code === 'LOGIN_REPAIRED') {
    return { syncItemId: item.id, analytics: [itemRepairedEvent(item, { webhookCode: code, webhookId: row.id, via: 'webhook' })] };
  }
  if (code === 'NEW_ACCOUNTS_AVAILABLE') {
    return { syncItemId: null, analytics: [], newAccounts: { itemId: item.id, userId: item.userId } };
  }
  return NO_FOLLOW_UPS;
}
