'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { useTRPC } from '../../../_trpc/client';
import type { SyncStatus } from '../../../_trpc/types';

/**
 * While a first sync or a re-mine runs: a progress bar with what has arrived so far, polled every
 * two seconds; when the last one finishes, the page's server data is refreshed.
 */
export function SyncProgress({ initial, names }: { initial: SyncStatus[]; names: Record<string, string> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const anyRunning = (list: SyncStatus[] | undefined) => Boolean(list?.some((s) => s.inProgress));
  const { data } = useQuery(
    trpc.items.syncStatus.queryOptions(undefined, {
      initialData: initial,
      refetchInterval: (q) => (anyRunning(q.state.data) ? 2_000 : false),
    }),
  );
  const wasRunning = useRef(anyRunning(initial));
  const seen = useRef(new Map<string, number>());
  useEffect(() => {
    const running = anyRunning(data);
    // Refresh when a sync finishes, and now and then while transactions arrive.
    const grew = (data ?? []).some((s) => s.transactionsStored !== (seen.current.get(s.itemId) ?? s.transactionsStored));
    for (const s of data ?? []) seen.current.set(s.itemId, s.transactionsStored);
    if ((wasRunning.current && !running) || grew) router.refresh();
    wasRunning.current = running;
  }, [data, router]);

  const active = (data ?? []).filter((s) => s.inProgress);
  if (active.length === 0) return null;
  return (
    <section className="card sync-progress" aria-labelledby="sync-title">
      <h2 id="sync-title">Fetching your transactions</h2>
      {active.map((s) => {
        const bank = names[s.itemId] ?? 'your bank';
        const remine = s.run?.kind === 'remine';
        const what = remine ? `Re-reading everything from ${bank}` : `Bringing in your history from ${bank}`;
        // Where the bank is (Plaid's update status of the latest sync), with the transactions stored so far.
        const phase = remine
          ? ''
          : s.transactionsStored === 0
            ? ` Waiting for ${bank} to send the first ones.`
            : s.run?.updateStatus === 'INITIAL_UPDATE_COMPLETE'
              ? ' The last 30 days are in; older ones are on their way.'
              : '';
        const pages = remine && s.run?.pages ? `, ${s.run.pages} page${s.run.pages === 1 ? '' : 's'} read` : '';
        return (
          <div key={s.itemId} className="progress-row">
            <progress aria-label={`${what}`} />
            <p role="status">
              {what}: {s.transactionsStored.toLocaleString('en-US')} {s.transactionsStored === 1 ? 'transaction' : 'transactions'} so far{pages}.{phase}
            </p>
          </div>
        );
      })}
    </section>
  );
}
