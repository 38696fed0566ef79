import type { Inngest } from 'inngest';
import { env } from '../../server/env';
import { refreshCataloguePage, refreshInstitutionsInUse } from '../../server/institutions/refresh-institutions';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { inngest } from '../client';
import { institutionsPollRequested } from '../../server/events';

/** Guards the page loop against a catalogue that never ends (500 × 200 = 100,000 institutions). */
const MAX_PAGES = 200;

/**
 * On INSTITUTION_POLL_CRON (default every 6 hours) or institutions/poll.requested: the
 * institutions our items use, with health, then the whole catalogue page by page (one step per
 * page, so a failure resumes at that page). Status comes last-written from get_by_id, so the
 * in-use step runs after the catalogue.
 */
export function createPollInstitutions(client: Inngest.Any, context: ResolveJobContext, cron: string) {
  return client.createFunction(
    {
      id: 'poll-institutions',
      retries: 3,
      triggers: [{ cron }, institutionsPollRequested],
      concurrency: [{ limit: 1 }],
    },
    async ({ step }) => {
      let offset: number | null = 0;
      let pages = 0;
      let stored = 0;
      while (offset !== null && pages < MAX_PAGES) {
        const at: number = offset;
        const page = await step.run(`catalogue-page-${at}`, () => refreshCataloguePage(context().db, context().deps, at, context().log));
        stored += page.stored;
        offset = page.nextOffset;
        pages++;
      }
      const inUse = await step.run('refresh-institutions-in-use', () => {
        const { db, deps, log } = context();
        return refreshInstitutionsInUse(db, deps, log);
      });
      return { cataloguePages: pages, catalogueStored: stored, ...inUse };
    },
  );
}

export const pollInstitutions = createPollInstitutions(inngest, processJobContext, env().INSTITUTION_POLL_CRON);
