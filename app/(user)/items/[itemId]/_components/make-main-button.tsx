'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../../../../_trpc/client';
import { errorText } from '../../../../_components/error-text';

export function MakeMainButton({ itemId, accountId, name }: { itemId: string; accountId: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const set = useMutation(trpc.items.setMainAccount.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <>
      <button type="button" className="secondary small" disabled={set.isPending} onClick={() => set.mutate({ itemId, accountId })}>
        Make main account<span className="visually-hidden">: {name}</span>
      </button>
      {set.error && <span className="error" role="alert">{errorText(set.error)}</span>}
    </>
  );
}
