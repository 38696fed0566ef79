import 'server-only';
import { TRPCError } from '@trpc/server';
import { headers } from 'next/headers';
import { cache } from 'react';
import { AppError } from '../errors';
import { GENERIC_ERROR, wordsForError } from '../error-words';
import { createRequestContext } from './context';
import { createCaller } from './routers/_app';

/**
 * For server components: a tRPC caller bound to the current request's session (one per request).
 * Reads go through the same procedures, authorisation and error map as the browser's calls.
 */
export const serverCaller = cache(async () => {
  const h = await headers();
  const ctx = await createRequestContext(new Request('http://server-component.internal/', { headers: new Headers(h) }));
  return createCaller(ctx);
});

/** Words a person can read for a failed server-side call (Plaid's display_message when there is one). */
export function readableError(err: unknown): string {
  const cause = err instanceof TRPCError ? err.cause : err;
  if (cause instanceof AppError) return wordsForError(cause);
  if (err instanceof TRPCError) return wordsForError({ code: err.code, message: err.message });
  return GENERIC_ERROR;
}
