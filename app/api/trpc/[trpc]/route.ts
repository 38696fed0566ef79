import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createRequestContext } from '../../../../server/trpc/context';
import { appRouter } from '../../../../server/trpc/routers/_app';

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createRequestContext(req),
    onError({ error, path, ctx }) {
      // Expected errors (bad input, not found, ...) are the caller's business; log only the rest, once.
      if (error.code === 'INTERNAL_SERVER_ERROR') ctx?.log.error({ err: error.cause ?? error, path }, 'tRPC procedure failed');
    },
  });
}

export { handler as GET, handler as POST };
