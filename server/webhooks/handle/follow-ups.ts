import type { plaidItems, plaidWebhooks } from '../../../db/schema';
import type { TrackInput } from '../../analytics/track';
import { includes, itemErrorBody, REVOKED_CODES, SYNC_CODES } from './payloads';

type WebhookRow = typeof plaidWebhooks.$inferSelect;
type ItemRow = typeof plaidItems.$inferSelect;

/** What a handled webhook asks of the world outside the database. */
export interface FollowUps {
  /** Request a transactions sync for this item (our id). */
  syncItemId: string | null;
  analytics: TrackInput[];
}

export const NO_FOLLOW_UPS: FollowUps = { syncItemId: null, analytics: [] };

/**
 * Follow-ups are a function of the stored webhook and its final state only, never of what the
 * item looked like before. So a retry after a crash (database committed, follow-ups not yet
 * done) computes the same ones again; their dedupe keys keep the repeat harmless.
 */
export function followUpsFor(row: WebhookRow, item: Pick<ItemRow, 'id' | 'userId' | 'institutionId' | 'institutionName'> | null): FollowUps {
  if (row.state !== 'PROCESSED' || !item) return NO_FOLLOW_UPS;
  const code = row.webhookCode;
  if (row.webhookType === 'TRANSACTIONS') {
    return includes(SYNC_CODES, code) ? { syncItemId: item.id, analytics: [] } : NO_FOLLOW_UPS;
  }
  if (row.webhookType !== 'ITEM') return NO_FOLLOW_UPS;
  const base = {
    itemId: item.id,
    institutionId: item.institutionId,
    institutionName: item.institutionName,
    webhookCode: code,
    webhookId: row.id,
  };
  const event = (name: TrackInput['event'], extra: TrackInput['properties'] = {}): TrackInput => ({
    event: name,
    userId: item.userId,
    properties: { ...base, ...extra },
    dedupeKey: `webhook:${row.id}:${name}`,
  });
  if (code === 'ERROR' || includes(REVOKED_CODES, code)) {
    const error = safeError(row.rawBody);
    return {
      syncItemId: null,
      analytics: [event('Item Errored', { errorCode: error?.error_code ?? code, errorType: error?.error_type ?? null })],
    };
  }
  if (code === 'LOGIN_REPAIRED') return { syncItemId: item.id, analytics: [event('Item Repaired')] };
  return NO_FOLLOW_UPS;
}

function safeError(rawBody: string) {
  try {
    return itemErrorBody.parse(JSON.parse(rawBody)).error ?? null;
  } catch {
    return null;
  }
}
