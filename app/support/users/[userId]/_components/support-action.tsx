'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import { errorText } from '../../../../_components/error-text';
import { useTRPC } from '../../../../_trpc/client';

type Action = 'forceRemove' | 'resetLogin' | 'remine' | 'republish' | 'settleFloat';

/** One audited support action: a button, then a confirmation asking for the reason. */
export function SupportAction({ action, id, label, question, danger }: { action: Action; id: string; label: string; question: string; danger?: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const opts = {
    onSuccess: () => { dialog.current?.close(); setReason(''); setNote({ tone: 'ok' as const, text: `${label}: done.` }); router.refresh(); },
    onError: (err: unknown) => setNote({ tone: 'error' as const, text: errorText(err) }),
  };
  const forceRemove = useMutation(trpc.support.items.forceRemove.mutationOptions(opts));
  const resetLogin = useMutation(trpc.support.items.resetLogin.mutationOptions(opts));
  const remine = useMutation(trpc.support.items.remine.mutationOptions(opts));
  const republish = useMutation(trpc.support.items.republish.mutationOptions({
    ...opts,
    onSuccess: (r) => {
      opts.onSuccess();
      setNote({ tone: 'ok', text: `Re-published ${r.accounts} ${r.accounts === 1 ? 'account' : 'accounts'} and ${r.transactions} ${r.transactions === 1 ? 'transaction' : 'transactions'} to the streams.` });
    },
  }));
  const settle = useMutation(trpc.support.floats.settle.mutationOptions(opts));
  const pending = forceRemove.isPending || resetLogin.isPending || remine.isPending || republish.isPending || settle.isPending;

  function confirm(e: React.FormEvent) {
    e.preventDefault();
    setNote(null);
    if (action === 'forceRemove') forceRemove.mutate({ itemId: id, reason });
    if (action === 'resetLogin') resetLogin.mutate({ itemId: id, reason });
    if (action === 'remine') remine.mutate({ itemId: id, reason });
    if (action === 'republish') republish.mutate({ itemId: id, reason });
    if (action === 'settleFloat') settle.mutate({ floatId: id, reason });
  }

  return (
    <span className="support-action">
      <button type="button" className={danger ? 'danger small' : 'secondary small'} onClick={() => { setNote(null); dialog.current?.showModal(); }}>
        {label}
      </button>
      {note && <span className={note.tone === 'error' ? 'error' : 'notice success'} role={note.tone === 'error' ? 'alert' : 'status'}>{note.text}</span>}
      <dialog ref={dialog} className="confirm" aria-label={label}>
        <form onSubmit={confirm} className="stack">
          <h2>{question}</h2>
          <p className="muted">This is recorded in the audit log with your name and reason.</p>
          <label htmlFor={reasonId}>Reason</label>
          <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} rows={3} />
          {note?.tone === 'error' && <p className="error" role="alert">{note.text}</p>}
          <div className="actions">
            <button type="submit" className={danger ? 'danger' : undefined} disabled={pending}>{pending ? 'Working…' : `Confirm ${label.toLowerCase()}`}</button>
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>Cancel</button>
          </div>
        </form>
      </dialog>
    </span>
  );
}
