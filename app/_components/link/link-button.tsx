'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../../_trpc/client';
import { errorText } from '../error-text';
import { type LinkTarget, rememberLinkSession, useLinkFlow } from './use-link-flow';
import { LinkMessageView } from './link-message';

/**
 * Opens Plaid Link: asks the API for a fresh token on every open (Plaid: never cache link tokens;
 * they are single-use outside sandbox and update-mode ones last 30 minutes), remembers it for the
 * OAuth return page, and opens Link once the SDK is ready with that token.
 */
export function LinkButton({ target, label, className }: { target: LinkTarget; label: string; className?: string }) {
  const trpc = useTRPC();
  const [token, setToken] = useState<string | null>(null);
  const [wantOpen, setWantOpen] = useState(false);
  const createToken = useMutation(trpc.link.createToken.mutationOptions());
  const flow = useLinkFlow({ token, target });
  const { ready, open, setMessage } = flow;

  useEffect(() => {
    if (wantOpen && ready) {
      setWantOpen(false);
      open();
    }
  }, [wantOpen, ready, open]);

  async function start() {
    setMessage(null);
    // Drop the last session's handler first, so `ready` cannot refer to it while the new token loads.
    setToken(null);
    try {
      const res = await createToken.mutateAsync(target.kind === 'new' ? { mode: 'new' } : { itemId: target.itemId });
      rememberLinkSession(res.linkToken, target);
      setToken(res.linkToken);
      setWantOpen(true);
    } catch (err) {
      setMessage({ tone: 'error', text: `We could not start Plaid Link: ${errorText(err)}` });
    }
  }

  const working = createToken.isPending || wantOpen || flow.busy;
  return (
    <div className="link-action">
      <button type="button" className={className} onClick={start} disabled={working} aria-busy={working}>
        {working ? 'Opening…' : label}
      </button>
      <LinkMessageView message={flow.message} />
    </div>
  );
}
