import { z } from 'zod';
import { streamsThroughput } from '../../streams/throughput';
import {
  supportAccounts,
  supportInstitutions,
  supportJobRuns,
  supportLinkSessions,
  supportSyncRuns,
} from '../../support/support-user';
import { itemTimeline } from '../../support/item-timeline';
import { linkConversion } from '../../support/link-conversion';
import { userNotifications } from '../../notifications/support-notifications';
import { router, supportProcedure } from '../init';
import { isoDate, itemId } from '../schemas';
import {
  itemTimelineOutput,
  linkConversionOutput,
  jobRunsOutput,
  linkSessionsOutput,
  supportNotificationsOutput,
  streamsThroughputOutput,
  supportAccountsOutput,
  supportInstitutionsOutput,
  supportSyncRunsOutput,
} from '../outputs/support-console';

const userId = z.string().min(1).max(100);
const limit = z.number().int().min(1).max(200).default(50);

/** The support console's read-only views (support role only), merged into the support router. */
export const supportConsoleRouters = {
  accounts: router({
    list: supportProcedure.input(z.object({ userId })).output(supportAccountsOutput).query(({ ctx, input }) => supportAccounts(ctx.db, input.userId)),
  }),
  syncRuns: router({
    list: supportProcedure
      .input(z.object({ userId: userId.optional(), itemId: itemId.optional(), limit }))
      .output(supportSyncRunsOutput)
      .query(({ ctx, input }) => supportSyncRuns(ctx.db, input)),
  }),
  jobRuns: router({
    list: supportProcedure.input(z.object({ userId, limit })).output(jobRunsOutput).query(({ ctx, input }) => supportJobRuns(ctx.db, input)),
  }),
  linkSessions: router({
    list: supportProcedure.input(z.object({ userId, limit: z.number().int().min(1).max(50).default(20) })).output(linkSessionsOutput).query(({ ctx, input }) => supportLinkSessions(ctx.db, input)),
  }),
  notifications: router({
    /** A person's notification emails: kind, bank, delivery status, SMTP message id, opened through the button. */
    list: supportProcedure.input(z.object({ userId, limit })).output(supportNotificationsOutput).query(({ ctx, input }) => userNotifications(ctx.db, input)),
  }),
  timeline: router({
    /** One item's history in one chronological list (support role only). */
    forItem: supportProcedure
      .input(z.object({ itemId, limit: z.number().int().min(1).max(500).default(200) }))
      .output(itemTimelineOutput)
      .query(({ ctx, input }) => itemTimeline(ctx.db, input)),
  }),
  linkConversion: router({
    /** Link's funnel over whole UTC days `from`..`to` (inclusive): opens → bank chosen → sign-in → linked, and the exits. */
    get: supportProcedure
      .input(z.object({ from: isoDate, to: isoDate }).refine((p) => p.from <= p.to, { message: 'The start date comes after the end date', path: ['to'] }))
      .output(linkConversionOutput)
      .query(({ ctx, input }) => linkConversion(ctx.db, { from: new Date(`${input.from}T00:00:00Z`), to: new Date(new Date(`${input.to}T00:00:00Z`).getTime() + 86_400_000) })),
  }),
  institutions: router({
    list: supportProcedure.output(supportInstitutionsOutput).query(({ ctx }) => supportInstitutions(ctx.db)),
  }),
  streams: router({
    /** Per stream: backlog (waiting, oldest age, last error) and records published in the last hour. */
    throughput: supportProcedure.output(streamsThroughputOutput).query(({ ctx }) => streamsThroughput(ctx.db)),
  }),
};
