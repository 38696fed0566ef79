import type { Inngest } from 'inngest';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { publishOutbox } from '../../server/streams/publisher';
import { inngest } from '../client';
import { streamsPublishRequested } from '../../server/events';

/**
 * Drains the stream outbox to Kinesis: on request after each sync, and every minute as a sweep
 * (a request lost, or Kinesis down for a while). One at a time; the outbox leases make a second
 * publisher safe anyway. When Kinesis fails the rows stay queued and the run retries with backoff.
 */
export function createPublishStreams(client: Inngest.Any, context: ResolveJobContext = processJobContext, o: { cron?: string } = {}) {
  return client.createFunction(
    {
      id: 'publish-streams',
      triggers: [streamsPublishRequested, { cron: o.cron ?? '* * * * *' }],
      retries: 3,
      concurrency: [{ limit: 1 }],
    },
    async ({ step }) => {
      const { db, log, kinesis } = context();
      return step.run('publish-outbox', async () => {
        const k = await kinesis();
        const r = await publishOutbox(db, k.client, { streams: k.streams, log });
        if (!r.ok) throw new Error(`Kinesis publishing stopped (${r.stoppedBecause}): ${r.error ?? ''}; ${r.remaining} records stay queued`);
        return { published: r.published, remaining: r.remaining, stoppedBecause: r.stoppedBecause };
      });
    },
  );
}

export const publishStreams = createPublishStreams(inngest);
