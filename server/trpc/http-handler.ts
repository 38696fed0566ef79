import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createRequestContext, type InnerContext } from './context';
import { appRouter } from './routers/_app';

/**
 * A cross-site HTML form can only post urlencoded, multipart or text/plain bodies. The app's own
 * client always posts JSON, so anything else is refused before any procedure sees it (tRPC v11
 * would otherwise accept multipart FormData).
 */
export function refuseNonJsonPost(req: Request): Response | null {
  if (req.method !== 'POST') return null;
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return null;
  return Response.json({ error: { message: 'tRPC calls must be sent as application/json' } }, { status: 415 });
}

/** What /api/trpc runs: the JSON-only guard, then the router with a per-request context. */
export async function handleTrpcRequest(req: Request, createContext: (req: Request) => Promise<InnerContext> = createRequestContext) {
  return (
    refuseNonJsonPost(req) ??
    fetchRequestHandler({
      endpoint: '/api/trpc',
      req,
      router: appRouter,
      createContext: () => createContext(req),
      onError({ error, path, ctx }) {
        // Expected errors (bad input, not found, ...) are the caller's business; log only the rest, once.
        if (error.code === 'INTERNAL_SERVER_ERROR') ctx?.log.error({ err: error.cause ?? error, path }, 'tRPC procedure failed');
      },
    })
  );
}
