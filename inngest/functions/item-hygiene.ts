import type { Inngest } from 'inngest';
import { getDb } from '../../db/client';
import { processDeps } from '../../server/deps';
import { env } from '../../server/env';
import { applyHygiene, findHygieneCandidates, type HygienePolicy } from '../../server/hygiene/item-hygiene';
import { logger } from '../../server/logger';
import { inngest } from '../client';

/**
 * Daily (HYGIENE_CRON): removes items of users inactive for HYGIENE_INACTIVE_DAYS, items left in
 * ERROR for HYGIENE_ERROR_DAYS, and revoked items — one step per item, each audited.
 */
export function createItemHygiene(client: Inngest.Any, cron: string, policy: () => HygienePolicy) {
  return client.createFunction(
    { id: 'item-hygiene', retries: 3, triggers: [{ cron }], concurrency: [{ limit: 1 }] },
    async ({ step }) => {
      const candidates = await step.run('find-candidates', () => findHygieneCandidates(getDb().db, policy()));
      for (const c of candidates) {
        await step.run(`remove-${c.itemId}`, () => applyHygiene(getDb().db, processDeps(), c, logger()));
      }
      return { removed: candidates.length };
    },
  );
}

export const itemHygiene = createItemHygiene(inngest, env().HYGIENE_CRON, () => ({
  inactiveDays: env().HYGIENE_INACTIVE_DAYS,
  errorDays: env().HYGIENE_ERROR_DAYS,
}));
