import { z } from 'zod';
import { createFloat, settleFloat } from '../../floats';
import { forceRemoveItem } from '../../items/remove-item';
import { searchUsers, supportAudit, supportItems, supportWebhooks } from '../../support/support-queries';
import { supportRemine, supportResetLogin } from '../../support/support-actions';
import { supportUser, supportUserWebhooks } from '../../support/support-user';
import { supportConsoleRouters } from './support-console';
import { router, supportProcedure } from '../init';
import { itemId, itemStatus, plaidId } from '../schemas';
import { itemOutput, remineOutput, republishOutput, resetLoginOutput } from '../outputs/items';
import { republishItemSnapshot } from '../../streams/snapshot';
import {
  auditListOutput,
  floatChangeOutput,
  supportItemListOutput,
  supportUserDetailOutput,
  userSearchOutput,
  userWebhooksOutput,
  webhookListOutput,
} from '../outputs/support';

const reason = z.string().trim().min(3, 'Give a reason (at least 3 characters)').max(500);
const limit = z.number().int().min(1).max(200).default(50);
const money = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'An amount like 125.00');

export const supportRouter = router({
  ...supportConsoleRouters,
  users: router({
    search: supportProcedure
      .input(z.object({ query: z.string().trim().min(1).max(200), limit }))
      .output(userSearchOutput)
      .query(({ ctx, input }) => searchUsers(ctx.db, input)),
    byId: supportProcedure.input(z.object({ userId: z.string().min(1).max(100) })).output(supportUserDetailOutput).query(({ ctx, input }) => supportUser(ctx.db, input.userId)),
  }),
  items: router({
    list: supportProcedure
      .input(z.object({ status: itemStatus.optional(), userId: z.string().max(100).optional(), institutionId: plaidId.optional(), search: z.string().trim().min(1).max(200).optional(), limit }).default({ limit: 50 }))
      .output(supportItemListOutput)
      .query(({ ctx, input }) => supportItems(ctx.db, input)),
    /** Removes an item even while its user has an active float. Audited with the reason. */
    forceRemove: supportProcedure
      .input(z.object({ itemId, reason }))
      .output(itemOutput)
      .mutation(({ ctx, input }) => forceRemoveItem(ctx.db, ctx.deps, { actorId: ctx.user.id, ...input }, ctx.log)),
    /** Sandbox and emulator only: simulate a login expiry. Audited with the reason. */
    resetLogin: supportProcedure
      .input(z.object({ itemId, reason }))
      .output(resetLoginOutput)
      .mutation(({ ctx, input }) => supportResetLogin(ctx.db, ctx.deps, { actorId: ctx.user.id, ...input }, ctx.log)),
    /**
     * Re-publishes the item's current state (item, accounts, transactions) onto the streams as a
     * snapshot, for a consumer that lost data. Audited with the reason and the counts.
     */
    republish: supportProcedure
      .input(z.object({ itemId, reason }))
      .output(republishOutput)
      .mutation(({ ctx, input }) => republishItemSnapshot(ctx.db, { actorId: ctx.user.id, ...input })),
    /** Queues a re-mine of the item. Audited with the reason and the run. */
    remine: supportProcedure
      .input(z.object({ itemId, reason }))
      .output(remineOutput)
      .mutation(({ ctx, input }) => supportRemine(ctx.db, ctx.deps, { actorId: ctx.user.id, ...input })),
  }),
  webhooks: router({
    list: supportProcedure
      .input(z.object({ itemId: itemId.optional(), limit }).default({ limit: 50 }))
      .output(webhookListOutput)
      .query(({ ctx, input }) => supportWebhooks(ctx.db, input)),
    forUser: supportProcedure
      .input(z.object({ userId: z.string().min(1).max(100), limit }))
      .output(userWebhooksOutput)
      .query(({ ctx, input }) => supportUserWebhooks(ctx.db, input)),
  }),
  audit: router({
    list: supportProcedure
      .input(z.object({ subjectUserId: z.string().max(100).optional(), itemId: itemId.optional(), limit }).default({ limit: 50 }))
      .output(auditListOutput)
      .query(({ ctx, input }) => supportAudit(ctx.db, input)),
  }),
  floats: router({
    create: supportProcedure
      .input(z.object({ userId: z.string().min(1).max(100), amount: money, reason }))
      .output(floatChangeOutput)
      .mutation(({ ctx, input }) => createFloat(ctx.db, ctx.deps, ctx.user, input, ctx.log)),
    settle: supportProcedure
      .input(z.object({ floatId: z.uuid(), reason }))
      .output(floatChangeOutput)
      .mutation(({ ctx, input }) => settleFloat(ctx.db, ctx.user, input)),
  }),
});
