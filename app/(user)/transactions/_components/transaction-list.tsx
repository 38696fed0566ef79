'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../../_trpc/client';
import type { RouterOutputs } from '../../../_trpc/types';
import { errorText } from '../../../_components/error-text';
import { TransactionRows } from './transaction-rows';

type Page = RouterOutputs['transactions']['cached'];
interface Filters { search?: string; accountId?: string; from?: string; to?: string }

/**
 * Your transactions in numbered pages with the total: the first page comes from the server; the
 * others are keyset pages whose cursors are remembered, so Previous and Next are each one query.
 */
export function TransactionList({ filters, limit, first, total, accountNames }: { filters: Filters; limit: number; first: Page; total: number; accountNames: Record<string, string> }) {
  const trpc = useTRPC();
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [index, setIndex] = useState(0);
  const cursor = cursors[index];
  const query = useQuery(
    trpc.transactions.cached.queryOptions(
      { ...filters, limit, cursor },
      { initialData: index === 0 ? first : undefined, placeholderData: keepPreviousData, staleTime: 30_000 },
    ),
  );
  const rows = query.data?.transactions ?? [];
  const pages = Math.max(1, Math.ceil(total / limit));
  const next = query.data?.nextCursor ?? null;
  const filtered = Boolean(filters.search || filters.accountId || filters.from || filters.to);
  const goNext = () => {
    if (!next) return;
    setCursors((c) => [...c.slice(0, index + 1), next]);
    setIndex(index + 1);
    window.scrollTo({ top: 0 });
  };
  const goBack = () => { setIndex(Math.max(0, index - 1)); window.scrollTo({ top: 0 }); };
  const firstShown = index * limit + 1;
  return (
    <section className="card" aria-labelledby="tx-title">
      <h2 id="tx-title">Your transactions <span className="count">({total.toLocaleString('en-US')})</span></h2>
      {rows.length === 0 ? (
        <p className="muted">{filtered ? 'No transactions match these filters.' : 'No transactions yet. They appear here after your bank’s first sync.'}</p>
      ) : (
        <TransactionRows rows={rows} accountNames={accountNames} caption="Your transactions, newest first" />
      )}
      {query.error && <p className="error" role="alert">{errorText(query.error)}</p>}
      {rows.length > 0 && (
        <nav className="pager" aria-label="Pages">
          <button type="button" className="secondary" onClick={goBack} disabled={index === 0 || query.isFetching}>Previous</button>
          <p role="status">
            {firstShown.toLocaleString('en-US')}–{(firstShown + rows.length - 1).toLocaleString('en-US')} of {total.toLocaleString('en-US')} · page {index + 1} of {pages}
          </p>
          <button type="button" className="secondary" onClick={goNext} disabled={!next || query.isFetching}>Next</button>
        </nav>
      )}
    </section>
  );
}
