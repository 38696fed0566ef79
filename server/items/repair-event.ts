import type { plaidItems } from '../../db/schema';
import type { TrackInput } from '../analytics/track';

type BrokenItem = Pick<typeof plaidItems.$inferSelect, 'id' | 'userId' | 'institutionId' | 'institutionName' | 'erroredAt' | 'disconnectAt'>;

/**
 * "Item Repaired" for one repair of an item, however it happened: in the app's update mode
 * (completeItemUpdate) or outside it (Plaid's LOGIN_REPAIRED webhook). Both take the item's row
 * lock and only a broken item is repaired, so the second finds it healthy and sends nothing; the
 * key — the item and the problem it had — makes a repeat one event all the same.
 */
export function itemRepairedEvent(item: BrokenItem, properties: TrackInput['properties']): TrackInput {
  const episode = (item.erroredAt ?? item.disconnectAt)?.toISOString() ?? 'unknown';
  return {
    event: 'Item Repaired',
    userId: item.userId,
    properties: { itemId: item.id, institutionId: item.institutionId, institutionName: item.institutionName, ...properties },
    dedupeKey: `repair:${item.id}:${episode}`,
  };
}
