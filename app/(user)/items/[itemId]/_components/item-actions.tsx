'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { ItemStatus } from '../../../../../db/schema/items';
import { errorCode, errorText } from '../../../../_components/error-text';
import { useTRPC } from '../../../../_trpc/client';

interface Props { itemId: string; bank: string; status: ItemStatus; canSimulate: boolean; removalBlockedBy: string[] }

/** Refresh now (ask the bank), re-read everything (re-mine), simulate login expiry (sandbox/emulator), and remove with confirmation. */
export function ItemActions({ itemId, bank, status, canSimulate, removalBlockedBy }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);
  const done = (text: string) => { setNote({ tone: 'ok', text }); router.refresh(); };
  const fail = (err: unknown) => setNote({ tone: 'error', text: errorText(err) });

  const remine = useMutation(trpc.items.remine.mutationOptions({
    onSuccess: (r) => done(r.alreadyQueued ? 'A refresh is already on its way.' : `Refreshing everything from ${bank}. Progress shows on your dashboard.`),
    onError: fail,
  }));
  const refresh = useMutation(trpc.items.refresh.mutationOptions({
    onSuccess: () => done(`We asked ${bank} for anything new. New transactions appear here within a few minutes.`),
    onError: fail,
  }));
  const reset = useMutation(trpc.items.resetLogin.mutationOptions({ onError: fail }));
  const remove = useMutation(trpc.items.remove.mutationOptions({
    onSuccess: () => { dialog.current?.close(); router.push(`/items?status=REMOVED&removed=${itemId}`); router.refresh(); },
    onError: (err) => { dialog.current?.close(); fail(err); },
  }));

  async function simulateExpiry() {
    setNote(null);
    try {
      await reset.mutateAsync({ itemId });
      // Ask the bank right away, as the next sync would: the item shows as needing a sign-in at once.
      await queryClient.fetchQuery(trpc.accounts.live.queryOptions({ itemId }, { retry: false, staleTime: 0 })).catch((err: unknown) => {
        if (errorCode(err) !== 'ITEM_LOGIN_REQUIRED' && (err as { data?: { code?: string } }).data?.code !== 'PRECONDITION_FAILED') throw err;
      });
      done(`${bank} now asks you to sign in again (simulated).`);
    } catch (err) {
      fail(err);
    }
  }

  const busy = refresh.isPending || remine.isPending || reset.isPending || remove.isPending;
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Manage this connection</h2>
      <div className="actions">
        <button type="button" onClick={() => { setNote(null); refresh.mutate({ itemId }); }} disabled={busy || !(status === 'ACTIVE' || status === 'PENDING_DISCONNECT')}>Check for new transactions</button>
        <button type="button" className="secondary" onClick={() => { setNote(null); remine.mutate({ itemId }); }} disabled={busy || status === 'REVOKED'}>Re-read all history</button>
        {canSimulate && (
          <button type="button" className="secondary" onClick={simulateExpiry} disabled={busy || status !== 'ACTIVE'}>Simulate login expiry</button>
        )}
        <button type="button" className="danger" onClick={() => { setNote(null); dialog.current?.showModal(); }} disabled={busy}>Remove bank</button>
      </div>
      {note && <p className={note.tone === 'error' ? 'error' : 'notice success'} role={note.tone === 'error' ? 'alert' : 'status'}>{note.text}</p>}
      <dialog ref={dialog} aria-labelledby="remove-title" className="confirm">
        <h2 id="remove-title">Remove {bank}?</h2>
        <p>We will stop fetching data from {bank} and disconnect it at Plaid. Transactions already here are kept.</p>
        {removalBlockedBy.length > 0 && <p className="notice warn">{removalBlockedBy.join(' ')}</p>}
        <div className="actions">
          <button type="button" className="danger" onClick={() => remove.mutate({ itemId })} disabled={remove.isPending}>
            {remove.isPending ? 'Removing…' : 'Yes, remove'}
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()} autoFocus>Cancel</button>
        </div>
      </dialog>
    </section>
  );
}
