'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useTRPC } from '../../../_trpc/client';
import type { RouterOutputs } from '../../../_trpc/types';
import { errorText } from '../../../_components/error-text';
import { TransactionRows } from './transaction-rows';

type Page = RouterOutputs['transactions']['cached'];
interface Filters { search?: string; accountId?: string; from?: string; to?: string }

/** Stored transactions, keyset-paged: the first page comes from the server, more on "Load more". */
export function TransactionList({ filters, limit, first, accountNames }: { filters: Filters; limit: number; first: Page; accountNames: Record<string, string> }) {
  const trpc = useTRPC();
  const query = useInfiniteQuery(
    trpc.transactions.cached.infiniteQueryOptions(
      { ...filters, limit },
      {
        initialData: { pages: [first], pageParams: [null] },
        getNextPageParam: (last) => last.nextCursor ?? undefined,
        staleTime: 30_000,
      },
    ),
  );
  const rows = query.data?.pages.flatMap((p) => p.transactions) ?? [];
  const filtered = Boolean(filters.search || filters.accountId || filters.from || filters.to);
  return (
    <section className="card" aria-labelledby="tx-title">
      <h2 id="tx-title">Stored transactions</h2>
      {rows.length === 0 ? (
        <p className="muted">{filtered ? 'No transactions match these filters.' : 'No transactions yet. They appear here after your bank’s first sync.'}</p>
      ) : (
        <TransactionRows rows={rows} accountNames={accountNames} caption="Your transactions, newest first" />
      )}
      <p className="muted" role="status">{rows.length.toLocaleString('en-US')} shown{query.hasNextPage ? '' : rows.length ? ' · that is all' : ''}</p>
      {query.error && <p className="error" role="alert">{errorText(query.error)}</p>}
      {query.hasNextPage && (
        <button type="button" className="secondary" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
