import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { AppError } from '../errors';
import type { Context } from './context';
import { errorData, toTRPCError } from './error-map';

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // An unexpected failure's own message can carry SQL and parameters: the browser gets a plain
    // sentence, the log (http-handler) gets the whole error.
    const unexpected = error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError);
    return {
      ...shape,
      message: unexpected ? 'Something went wrong on our side. Please try again.' : shape.message,
      data: { ...shape.data, ...errorData(error), stack: undefined },
    };
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

/**
 * A signed-in person (any role), or an internal service acting for one (service key + acting
 * user id). `ctx.user` is the person the call is for.
 */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) {
    const message = ctx.service ? 'A service call must name an existing acting user.' : 'Sign in to continue.';
    throw new TRPCError({ code: 'UNAUTHORIZED', message });
  }
  return next({ ctx: { user: ctx.session.user, log: ctx.log.child({ user_id: ctx.session.user.id }) } });
});

/** A signed-in member of support staff (a browser session; services never act as support). */
export const supportProcedure = userProcedure.use(({ ctx, next }) => {
  if (ctx.service || ctx.user.role !== 'support') throw new TRPCError({ code: 'FORBIDDEN', message: 'Support staff only.' });
  return next();
});

/** Internal services only (SERVICE_API_KEYS), acting for an explicit user. */
export const serviceProcedure = userProcedure.use(({ ctx, next }) => {
  if (!ctx.service) throw new TRPCError({ code: 'FORBIDDEN', message: 'Internal services only.' });
  return next({ ctx: { service: ctx.service } });
});
