import type { Inngest } from 'inngest';
import { env } from '../../server/env';
import { findResyncCandidates } from '../../server/items/resync-candidates';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { inngest } from '../client';
import { itemSyncRequested } from '../../server/events';

/**
 * Hourly (RESYNC_SWEEP_CRON): requests a transactions sync again (item/sync.requested, trigger
 * `resync-sweep`) for ACTIVE items whose last sync failed or that have not synced for
 * STALE_SYNC_HOURS, at most RESYNC_SWEEP_LIMIT of them, longest-unsynced first. The sync function's
 * per-item debounce and concurrency absorb a request that meets one already under way.
 */
export function createResyncSweep(client: Inngest.Any, cron: string, context: ResolveJobContext = processJobContext) {
  return client.createFunction(
    { id: 'resync-sweep', retries: 2, triggers: [{ cron }], concurrency: [{ limit: 1 }] },
    async ({ step }) => {
      const candidates = await step.run('find-resync-candidates', () => findResyncCandidates(context().db, context().settings.resync));
      const failed = candidates.filter((c) => c.reason === 'last_sync_failed').length;
      const summary = { requested: candidates.length, lastSyncFailed: failed, stale: candidates.length - failed };
      if (candidates.length > 0) {
        await step.sendEvent(
          'request-syncs',
          candidates.map((c) => itemSyncRequested.create({ itemId: c.itemId, trigger: 'resync-sweep' })),
        );
      }
      context().log.info(summary, 'Re-sync sweep: syncs requested');
      return summary;
    },
  );
}

export const resyncSweep = createResyncSweep(inngest, env().RESYNC_SWEEP_CRON);
