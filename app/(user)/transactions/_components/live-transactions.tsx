'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../../_trpc/client';
import { errorText } from '../../../_components/error-text';
import { TransactionRows } from './transaction-rows';

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** On demand, the last 30 days straight from the bank (nothing stored): to compare with what we have. */
export function LiveTransactions({ banks, accountNames }: { banks: Array<{ id: string; name: string }>; accountNames: Record<string, string> }) {
  const trpc = useTRPC();
  const [itemId, setItemId] = useState(banks[0]?.id ?? '');
  const [asked, setAsked] = useState<{ itemId: string; from: string; to: string } | null>(null);
  const live = useQuery(trpc.transactions.live.queryOptions(asked ?? { itemId, from: '2000-01-01', to: '2000-01-01' }, { enabled: asked !== null, retry: false, staleTime: 0 }));
  const fetchLive = () => {
    const to = new Date();
    setAsked({ itemId, from: iso(new Date(to.getTime() - 30 * 86_400_000)), to: iso(to) });
  };
  const rows = live.data?.transactions ?? [];
  return (
    <section className="card" aria-labelledby="live-title">
      <h2 id="live-title">Check with your bank</h2>
      <p className="muted small">Ask your bank directly for the last 30 days, to compare with what is shown above. Nothing is saved.</p>
      <div className="actions">
        <label className="inline">
          Bank
          <select value={itemId} onChange={(e) => setItemId(e.target.value)}>
            {banks.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
          </select>
        </label>
        <button type="button" className="secondary" onClick={fetchLive} disabled={live.isFetching}>
          {live.isFetching ? 'Asking your bank…' : 'Ask your bank now'}
        </button>
      </div>
      {live.error && <p className="error" role="alert">{errorText(live.error)}</p>}
      {asked && live.isSuccess && (
        rows.length === 0 ? <p className="muted">The bank reports no transactions in the last 30 days.</p>
          : <TransactionRows rows={rows} accountNames={accountNames} caption="Transactions fetched live from your bank, last 30 days" />
      )}
    </section>
  );
}
