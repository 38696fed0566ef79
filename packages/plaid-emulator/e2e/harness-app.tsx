import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { usePlaidLink, type PlaidLinkError, type PlaidLinkOnEventMetadata, type PlaidLinkOnExitMetadata, type PlaidLinkOnSuccessMetadata } from 'react-plaid-link';

/**
 * The browser side of the Link stand-in's end-to-end tests: a page using the real
 * react-plaid-link exactly as the app does, recording every callback on `window.__link` for the
 * specs to read. `/oauth-return` re-opens Link with `receivedRedirectUri`, as the app's page does.
 */
export interface LinkRecord {
  loads: number;
  events: Array<{ name: string; metadata: PlaidLinkOnEventMetadata }>;
  success: { publicToken: string; metadata: PlaidLinkOnSuccessMetadata } | null;
  exit: { error: PlaidLinkError | null; metadata: PlaidLinkOnExitMetadata } | null;
}

declare global {
  interface Window { __link: LinkRecord; __linkExit?: (force: boolean) => void }
}

const record: LinkRecord = { loads: 0, events: [], success: null, exit: null };
window.__link = record;

const isOauthReturn = location.pathname.endsWith('/oauth-return');
const token = isOauthReturn ? sessionStorage.getItem('link_token') : new URLSearchParams(location.search).get('token');
if (!isOauthReturn && token) sessionStorage.setItem('link_token', token);

function Harness() {
  const [status, setStatus] = useState('idle');
  const { open, ready, exit } = usePlaidLink({
    token,
    receivedRedirectUri: isOauthReturn ? location.href : undefined,
    onLoad: () => { record.loads += 1; },
    onEvent: (name, metadata) => {
      record.events.push({ name, metadata });
      // Survives the OAuth round trip, so specs can read what happened before the redirect.
      sessionStorage.setItem('link_event_names', `${sessionStorage.getItem('link_event_names') ?? ''}${name} `);
    },
    onSuccess: (publicToken, metadata) => {
      record.success = { publicToken: publicToken ?? '', metadata };
      setStatus(`success ${metadata.institution?.name ?? ''}`);
    },
    onExit: (error, metadata) => {
      record.exit = { error, metadata };
      setStatus(`exit ${error?.error_code ?? 'none'}`);
    },
  });

  useEffect(() => {
    if (isOauthReturn && ready) open();
  }, [ready, open]);

  // The specs call the handler's exit() as an app would (e.g. on a timeout or navigation).
  useEffect(() => {
    window.__linkExit = (force) => exit({ force });
  }, [exit]);

  return (
    <main>
      <h1>Link harness</h1>
      <button type="button" onClick={() => open()} disabled={!ready}>Connect a bank</button>
      <p role="status" data-testid="status">{status}</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><Harness /></StrictMode>);
