import Link from 'next/link';
import { itemStatuses } from '../../../db/schema/items';
import { requireSupport } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { dateTime } from '../../_components/format';
import { StatusBadge } from '../../_components/status-badge';
import { SupportNav } from '../_components/support-nav';

export const dynamic = 'force-dynamic';

const LABELS: Record<string, string> = { ACTIVE: 'Connected', ERROR: 'In error', PENDING_DISCONNECT: 'Disconnecting', REVOKED: 'Revoked', REMOVED: 'Removed' };

/** Every user's bank connections by status (errors oldest first), or found by item id, Plaid item id or institution. */
export default async function SupportItemsPage({ searchParams }: { searchParams: Promise<{ status?: string; q?: string }> }) {
  const me = await requireSupport('/support/items');
  const sp = await searchParams;
  const status = itemStatuses.find((s) => s === sp.status) ?? 'ERROR';
  const q = sp.q?.trim().slice(0, 200) || undefined;
  let items;
  let error: string | null = null;
  try {
    items = await (await serverCaller()).support.items.list(q ? { search: q, limit: 200 } : { status, limit: 200 });
  } catch (err) {
    error = readableError(err);
  }
  return (
    <>
      <AppHeader user={me} />
      <main className="page wide">
        <h1>Items</h1>
        <SupportNav current="items" />
        <nav aria-label="Items by status" className="tabs">
          {itemStatuses.map((s) => (
            <Link key={s} href={`/support/items?status=${s}`} aria-current={!q && s === status ? 'page' : undefined}>{LABELS[s] ?? s}</Link>
          ))}
        </nav>
        <form method="get" action="/support/items" role="search" aria-label="Find an item" className="card search-form">
          <label>
            Item id, Plaid item id or institution
            <input type="search" name="q" defaultValue={q ?? ''} maxLength={200} />
          </label>
          <button type="submit">Find</button>
        </form>
        {error && <p className="error" role="alert">{error}</p>}
        {items && (
          <section className="card" aria-labelledby="items-title">
            <h2 id="items-title">
              {q ? <>Items matching “{q}”</> : LABELS[status]} <span className="count">({items.length}{items.length === 200 ? '+' : ''})</span>
            </h2>
            {status === 'ERROR' && !q && <p className="muted small">Oldest error first.</p>}
            {items.length === 0 ? <p className="muted">No items here.</p> : (
              <table className="table">
                <caption className="visually-hidden">Items</caption>
                <thead><tr><th scope="col">Bank</th><th scope="col">User</th><th scope="col">Status</th><th scope="col">Error</th><th scope="col">Linked</th><th scope="col">Last webhook</th></tr></thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.id}>
                      <th scope="row">
                        <Link href={`/support/users/${encodeURIComponent(i.userId)}?tab=timeline&item=${i.id}`}>{i.institutionName ?? 'Bank'}<span className="visually-hidden">: timeline</span></Link>
                        <div className="muted small">item {i.id}</div>
                      </th>
                      <td data-label="User"><Link href={`/support/users/${encodeURIComponent(i.userId)}`}>{i.userEmail}</Link></td>
                      <td data-label="Status"><StatusBadge status={i.status} /></td>
                      <td data-label="Error">{i.errorCode ? <span className="bad">{i.errorMessage ?? i.errorCode}</span> : '—'}</td>
                      <td data-label="Linked">{dateTime(i.createdAt)}</td>
                      <td data-label="Last webhook">{dateTime(i.lastWebhookAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </main>
    </>
  );
}
