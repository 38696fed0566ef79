'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorText } from '../../../../_components/error-text';
import { useTRPC } from '../../../../_trpc/client';

/** Creates a cash advance (float) for the user; while it is active they cannot remove a bank. */
export function CreateFloatForm({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const create = useMutation(trpc.support.floats.create.mutationOptions({
    onSuccess: () => { setAmount(''); setReason(''); setConfirming(false); router.refresh(); },
  }));
  return (
    <form
      className="inline-form"
      aria-label="Create a float"
      onSubmit={(e) => { e.preventDefault(); if (!confirming) return setConfirming(true); create.mutate({ userId, amount, reason }); }}
    >
      <label>Amount (USD)<input name="amount" inputMode="decimal" pattern="\d{1,12}(\.\d{1,2})?" required value={amount} onChange={(e) => { setAmount(e.target.value); setConfirming(false); }} /></label>
      <label>Reason<input name="reason" required minLength={3} maxLength={500} value={reason} onChange={(e) => { setReason(e.target.value); setConfirming(false); }} /></label>
      <button type="submit" disabled={create.isPending}>{confirming ? `Confirm float of $${amount}` : 'Create float'}</button>
      {confirming && <button type="button" className="secondary" onClick={() => setConfirming(false)}>Cancel</button>}
      {create.error && <p className="error" role="alert">{errorText(create.error)}</p>}
    </form>
  );
}
