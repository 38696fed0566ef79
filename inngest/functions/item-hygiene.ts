import type { Inngest } from 'inngest';
import { env } from '../../server/env';
import { applyHygiene, findHygieneCandidates } from '../../server/hygiene/hygiene-candidates';
import { noRowsDeleted, pruneTable, retentionTables } from '../../server/hygiene/retention';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { inngest } from '../client';

/**
 * Retention: each step deletes at most 20 batches of 5,000 rows of one table (pruneTable's
 * defaults), so a step stays short wherever functions run; 50 steps a table a day is 5 million
 * rows, and a larger backlog simply finishes over the next days.
 */
const PRUNE_STEPS_PER_TABLE = 50;

/**
 * Daily (HYGIENE_CRON): deletes operational records past their retention (*_RETENTION_DAYS),
 * then removes items of users inactive for HYGIENE_INACTIVE_DAYS, items left in ERROR for
 * HYGIENE_ERROR_DAYS, and revoked items — one step per item, each audited. See docs/DATA-POLICY.md.
 */
export function createItemHygiene(client: Inngest.Any, cron: string, context: ResolveJobContext = processJobContext) {
  return client.createFunction(
    { id: 'item-hygiene', retries: 3, triggers: [{ cron }], concurrency: [{ limit: 1 }] },
    async ({ step }) => {
      // First, so an item that cannot be removed today does not hold retention back.
      const pruned = noRowsDeleted();
      for (const table of retentionTables) {
        for (let n = 0; n < PRUNE_STEPS_PER_TABLE; n++) {
          const r = await step.run(`prune-${table}-${n}`, () => {
            const { db, settings } = context();
            return pruneTable(db, table, settings.retention, settings.pruneBatches);
          });
          pruned[table] += r.deleted;
          if (!r.more) break;
        }
      }
      const candidates = await step.run('find-candidates', () => findHygieneCandidates(context().db, context().settings.hygiene));
      for (const c of candidates) {
        await step.run(`remove-${c.itemId}`, () => {
          const { db, deps, log } = context();
          return applyHygiene(db, deps, c, log);
        });
      }
      // After the last step: this line runs once, not on every replay of the function.
      context().log.info({ retention: pruned, removed: candidates.length }, 'Hygiene done: expired records deleted, items removed');
      return { removed: candidates.length, retention: pruned };
    },
  );
}

export const itemHygiene = createItemHygiene(inngest, env().HYGIENE_CRON);
