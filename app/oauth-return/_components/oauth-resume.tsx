'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { LinkMessageView } from '../../_components/link/link-message';
import { type LinkTarget, recallLinkSession, useLinkFlow } from '../../_components/link/use-link-flow';

/** Re-opens Link with the token stored before the bank's OAuth page and receivedRedirectUri. */
export function OauthResume() {
  const [session, setSession] = useState<{ token: string; target: LinkTarget; uri: string } | null | undefined>(undefined);
  useEffect(() => {
    const s = recallLinkSession();
    setSession(s ? { ...s, uri: window.location.href } : null);
  }, []);
  const flow = useLinkFlow({ token: session?.token ?? null, target: session?.target ?? { kind: 'new' }, receivedRedirectUri: session?.uri });
  const { ready, open } = flow;
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (ready && !opened) {
      setOpened(true);
      open();
    }
  }, [ready, opened, open]);

  if (session === null) {
    return (
      <p className="error" role="alert">
        This bank sign-in can no longer be resumed (it was started in another tab or has expired).{' '}
        <Link href="/link">Start again</Link>.
      </p>
    );
  }
  return (
    <>
      <p className="muted" role="status">Reopening Plaid Link to complete the connection.</p>
      <LinkMessageView message={flow.message} />
      <p><Link href="/dashboard">Back to your dashboard</Link></p>
    </>
  );
}
