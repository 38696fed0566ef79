import { z } from 'zod';
import { canChangeItems } from '../../floats';
import { getUserItem, itemViewFor } from '../../items/item-access';
import { remineUserItem, resetLogin, setMainAccount } from '../../items/item-actions';
import { linkItem, linkMetadataSchema } from '../../items/link-item';
import { completeItemUpdate } from '../../items/complete-update';
import { checkDuplicateLink } from '../../items/duplicates';
import { listItems } from '../../items/list-items';
import { syncStatus } from '../../items/sync-status';
import { removeItem } from '../../items/remove-item';
import { refreshItemNow } from '../../items/refresh-now';
import { router, userProcedure } from '../init';
import { itemId, itemStatus, plaidId } from '../schemas';
import {
  canChangeOutput,
  checkDuplicateOutput,
  completeUpdateOutput,
  itemListOutput,
  itemOutput,
  linkItemOutput,
  refreshNowOutput,
  remineOutput,
  resetLoginOutput,
  syncStatusOutput,
} from '../outputs/items';

export const itemsRouter = router({
  /** Exchange Link's public token for a new item (refuses duplicates; idempotent on retry). */
  link: userProcedure
    .input(z.object({ publicToken: z.string().min(1).max(200), metadata: linkMetadataSchema }))
    .output(linkItemOutput)
    .mutation(({ ctx, input }) => linkItem(ctx.db, ctx.deps, { userId: ctx.user.id, ...input }, ctx.log)),

  /** Whether Link's result would duplicate a live bank of the caller (asked in onSuccess, before items.link). */
  checkDuplicate: userProcedure
    .input(z.object({ metadata: linkMetadataSchema }))
    .output(checkDuplicateOutput)
    .query(({ ctx, input }) => checkDuplicateLink(ctx.db, ctx.user.id, input.metadata)),

  list: userProcedure
    .input(
      z
        .object({
          status: itemStatus.optional(),
          include: z.object({ accounts: z.boolean().optional(), logos: z.boolean().optional() }).optional(),
        })
        .default({}),
    )
    .output(itemListOutput)
    .query(({ ctx, input }) => listItems(ctx.db, { userId: ctx.user.id, ...input })),

  byId: userProcedure
    .input(z.object({ itemId }))
    .output(itemOutput)
    .query(async ({ ctx, input }) => itemViewFor(ctx.db, await getUserItem(ctx.db, ctx.user.id, input.itemId))),

  setMainAccount: userProcedure
    .input(z.object({ itemId, accountId: plaidId }))
    .output(itemOutput)
    .mutation(({ ctx, input }) => setMainAccount(ctx.db, { userId: ctx.user.id, ...input })),

  /** Refused while the user has an active float; otherwise removed at Plaid and marked REMOVED. */
  remove: userProcedure
    .input(z.object({ itemId }))
    .output(itemOutput)
    .mutation(({ ctx, input }) => removeItem(ctx.db, ctx.deps, { userId: ctx.user.id, itemId: input.itemId }, ctx.log)),

  canChange: userProcedure.output(canChangeOutput).query(({ ctx }) => canChangeItems(ctx.db, ctx.user.id)),

  /** Emulator and sandbox only: simulate the bank asking the user to sign in again. */
  resetLogin: userProcedure.input(z.object({ itemId })).output(resetLoginOutput).mutation(async ({ ctx, input }) => {
    const item = await getUserItem(ctx.db, ctx.user.id, input.itemId);
    return resetLogin(ctx.db, ctx.deps, item, ctx.log);
  }),

  /** Refresh now: ask the bank for anything new (/transactions/refresh), at most once per item per 5 minutes. */
  refresh: userProcedure
    .input(z.object({ itemId }))
    .output(refreshNowOutput)
    .mutation(({ ctx, input }) => refreshItemNow(ctx.db, ctx.deps, { userId: ctx.user.id, itemId: input.itemId }, ctx.log)),

  /** Queue a full re-mine of accounts and transactions; at most one queued per item. */
  remine: userProcedure
    .input(z.object({ itemId }))
    .output(remineOutput)
    .mutation(({ ctx, input }) => remineUserItem(ctx.db, ctx.deps, { userId: ctx.user.id, itemId: input.itemId })),

  /** Per item: the latest sync run and how many transactions have arrived (the dashboard's progress bar). */
  syncStatus: userProcedure
    .input(z.object({ itemId: itemId.optional() }).default({}))
    .output(syncStatusOutput)
    .query(({ ctx, input }) => syncStatus(ctx.db, { userId: ctx.user.id, ...input })),

  /** After Link update mode succeeds: re-check the item at Plaid, clear a repaired error, store new accounts. */
  completeUpdate: userProcedure
    .input(z.object({ itemId }))
    .output(completeUpdateOutput)
    .mutation(({ ctx, input }) => completeItemUpdate(ctx.db, ctx.deps, { userId: ctx.user.id, itemId: input.itemId }, ctx.log)),
});
