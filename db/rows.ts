/**
 * Rows of a `db.execute(sql...)` result: postgres.js answers an array, PGlite `{ rows }`. Used for
 * the few statements the query builder cannot express (INSERT ... SELECT FROM jsonb, RETURNING xmax,
 * the webhook intake's one-statement store).
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
