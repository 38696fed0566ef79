import { AppError } from '../errors';

export const MUTATION_DURING_PAGINATION = 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION';

/**
 * Whether a failed sync should be tried again later. Rate limits, Plaid and institution faults,
 * the network and anything unexpected: yes (with backoff). Login required, a removed item, bad
 * input: no — retrying cannot help, the item or the code must change first.
 */
export function isRetriable(err: unknown): boolean {
  if (!(err instanceof AppError)) return true;
  return err.code === 'TOO_MANY_REQUESTS' || err.code === 'PLAID_RETRY_LATER' || err.code === 'INTERNAL';
}

export const isMutationDuringPagination = (err: unknown) => err instanceof AppError && err.plaidErrorCode === MUTATION_DURING_PAGINATION;
