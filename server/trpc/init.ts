import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { AppError } from '../errors';
import type { Context } from './context';
import { errorData, toTRPCError } from './error-map';

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return { ...shape, data: { ...shape.data, ...errorData(error), stack: undefined } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Turns a thrown AppError into its tRPC error, once, for every procedure. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error.cause);
  return result;
});

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(appErrors);

/** A signed-in person (any role). `ctx.user` is theirs. */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  return next({ ctx: { ...ctx, user: ctx.session.user, log: ctx.log.child({ user_id: ctx.session.user.id }) } });
});

/** A signed-in member of support staff. */
export const supportProcedure = userProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'support') throw new TRPCError({ code: 'FORBIDDEN', message: 'Support staff only.' });
  return next();
});
