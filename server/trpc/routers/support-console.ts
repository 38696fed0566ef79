import { z } from 'zod';
import { streamsOverview } from '../../streams/console';
import { getKinesis } from '../../streams/app-kinesis';
import {
  supportAccounts,
  supportInstitutions,
  supportJobRuns,
  supportLinkSessions,
  supportSyncRuns,
} from '../../support/support-user';
import { userNotifications } from '../../notifications/support-notifications';
import { router, supportProcedure } from '../init';
import { itemId } from '../schemas';
import {
  jobRunsOutput,
  linkSessionsOutput,
  supportNotificationsOutput,
  streamsOverviewOutput,
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
  institutions: router({
    list: supportProcedure.output(supportInstitutionsOutput).query(({ ctx }) => supportInstitutions(ctx.db)),
  }),
  streams: router({
    /** Outbox backlog per stream and the latest records read back from Kinesis. */
    overview: supportProcedure
      .input(z.object({ limit: z.number().int().min(1).max(100).default(10) }).default({ limit: 10 }))
      .output(streamsOverviewOutput)
      .query(async ({ ctx, input }) => streamsOverview(ctx.db, (await getKinesis()).client, { limit: input.limit })),
  }),
};
