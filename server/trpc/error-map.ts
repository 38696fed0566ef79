import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { AppError, type AppErrorCode } from '../errors';

const toTrpcCode: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_REQUEST: 'BAD_REQUEST',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  ITEM_LOGIN_REQUIRED: 'PRECONDITION_FAILED',
  PLAID_RETRY_LATER: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** The one map from domain errors to tRPC errors; the AppError stays reachable as `cause`. */
export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: toTrpcCode[error.code], message: error.message, cause: error });
}

/** What the client sees of an error beyond tRPC's own shape. */
export function errorData(error: TRPCError) {
  const app = error.cause instanceof AppError ? error.cause : null;
  const zod = zodIssues(error.cause);
  return {
    appCode: app?.code ?? null,
    displayMessage: app?.displayMessage ?? null,
    plaidErrorCode: app?.plaidErrorCode ?? null,
    retryAfterSeconds: app?.retryAfterSeconds ?? null,
    zodIssues: zod,
  };
}

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
}

/** Flattens a zod error into `{ path: "a.b", message }` pairs (null when it is not one). */
function zodIssues(cause: unknown): Array<{ path: string; message: string }> | null {
  if (!cause || typeof cause !== 'object' || !('issues' in cause) || !Array.isArray(cause.issues)) return null;
  return (cause.issues as ZodLikeIssue[]).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
