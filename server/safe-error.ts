import { AppError } from './errors';

/**
 * A failure described for people and logs without its payload: an AppError's own message, or the
 * error's name and — for a database error — the database's reason. Never a driver message, which
 * for drizzle repeats the SQL and every bound parameter (a whole page of transactions).
 */
export function safeErrorMessage(err: unknown): string {
  if (err instanceof AppError) return err.message;
  if (!(err instanceof Error)) return 'Unexpected failure';
  const cause = err.cause as { message?: unknown; code?: unknown } | undefined;
  if (err.name === 'DrizzleQueryError' || err.message.startsWith('Failed query:')) {
    const reason = typeof cause?.message === 'string' ? cause.message : 'query failed';
    return `Database error${typeof cause?.code === 'string' ? ` ${cause.code}` : ''}: ${reason}`.slice(0, 300);
  }
  return `${err.name}: ${err.message}`.slice(0, 300);
}
