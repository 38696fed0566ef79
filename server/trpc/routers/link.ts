import { z } from 'zod';
import { createLinkToken } from '../../items/link-token';
import { linkEventInput, recordLinkEvent } from '../../link-events';
import { router, userProcedure } from '../init';
import { itemId } from '../schemas';
import { linkTokenOutput, recordLinkEventOutput } from '../outputs/link';

export const linkRouter = router({
  /** A fresh Link token: new-bank mode, or update mode for a live item of the user's (named, or the one needing them). */
  createToken: userProcedure
    .input(z.object({ itemId: itemId.optional(), mode: z.enum(['new', 'update']).optional() }).default({}))
    .output(linkTokenOutput)
    .mutation(({ ctx, input }) => createLinkToken(ctx.db, ctx.deps, { userId: ctx.user.id, ...input }, ctx.log)),

  /** Link onEvent / onExit metadata, for the conversion funnel and support. */
  recordEvent: userProcedure.input(linkEventInput).output(recordLinkEventOutput).mutation(({ ctx, input }) => recordLinkEvent(ctx.db, ctx.user.id, input)),
});
