import Link from 'next/link';
import { requireSupport } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { humanize } from '../../_components/format';
import { SupportNav } from '../_components/support-nav';
import { WebhookView } from '../_components/webhook-view';

export const dynamic = 'force-dynamic';

/** Webhooks across all items, newest first, filtered by code; each opens as a readable list of its fields. */
export default async function SupportWebhooksPage({ searchParams }: { searchParams: Promise<{ code?: string }> }) {
  const me = await requireSupport('/support/webhooks');
  const code = (await searchParams).code?.slice(0, 100) || undefined;
  let d;
  let error: string | null = null;
  try {
    const api = await serverCaller();
    const [webhooks, items] = await Promise.all([api.support.webhooks.list({ limit: 200 }), api.support.items.list({ limit: 200 })]);
    d = { webhooks, items };
  } catch (err) {
    error = readableError(err);
  }
  const names = new Map((d?.items ?? []).map((i) => [i.id, `${i.institutionName ?? 'Bank'} (${i.userEmail})`]));
  const codes = [...new Set((d?.webhooks ?? []).map((w) => w.webhookCode).filter((c): c is string => Boolean(c)))].sort();
  const shown = (d?.webhooks ?? []).filter((w) => !code || w.webhookCode === code);
  return (
    <>
      <AppHeader user={me} />
      <main className="page wide">
        <h1>Webhooks</h1>
        <SupportNav current="webhooks" />
        <nav aria-label="Webhooks by code" className="tabs">
          <Link href="/support/webhooks" aria-current={code ? undefined : 'page'}>All</Link>
          {codes.map((c) => <Link key={c} href={`/support/webhooks?code=${encodeURIComponent(c)}`} aria-current={c === code ? 'page' : undefined}>{humanize(c)}</Link>)}
        </nav>
        {error && <p className="error" role="alert">{error}</p>}
        {d && (
          <section className="card" aria-labelledby="webhooks-title">
            <h2 id="webhooks-title">{code ? humanize(code) : 'Latest webhooks'} <span className="count">({shown.length})</span></h2>
            {shown.length === 0 ? <p className="muted">No webhooks here yet.</p> : (
              <ol className="timeline">
                {shown.map((w) => (
                  <li key={w.id}><WebhookView w={w} bank={w.itemId ? names.get(w.itemId) ?? 'Unknown item' : w.unknownItem ? 'An item we do not know' : 'No item'} /></li>
                ))}
              </ol>
            )}
          </section>
        )}
      </main>
    </>
  );
}
