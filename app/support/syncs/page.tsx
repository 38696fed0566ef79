import Link from 'next/link';
import { requireSupport } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { dateTime, humanize } from '../../_components/format';
import { SupportNav } from '../_components/support-nav';

export const dynamic = 'force-dynamic';

/** Sync runs across all users, newest first; "Failures" keeps the failed ones. */
export default async function SupportSyncsPage({ searchParams }: { searchParams: Promise<{ failed?: string }> }) {
  const me = await requireSupport('/support/syncs');
  const failedOnly = (await searchParams).failed === '1';
  let d;
  let error: string | null = null;
  try {
    const api = await serverCaller();
    const [runs, items] = await Promise.all([api.support.syncRuns.list({ limit: 200 }), api.support.items.list({ limit: 200 })]);
    d = { runs: failedOnly ? runs.filter((r) => r.status === 'FAILED' || r.status === 'LOGIN_REQUIRED' || r.errorCode) : runs, items };
  } catch (err) {
    error = readableError(err);
  }
  const byId = new Map((d?.items ?? []).map((i) => [i.id, i]));
  return (
    <>
      <AppHeader user={me} />
      <main className="page wide">
        <h1>Syncs</h1>
        <SupportNav current="syncs" />
        <nav aria-label="Which syncs" className="tabs">
          <Link href="/support/syncs" aria-current={failedOnly ? undefined : 'page'}>All</Link>
          <Link href="/support/syncs?failed=1" aria-current={failedOnly ? 'page' : undefined}>Failures</Link>
        </nav>
        {error && <p className="error" role="alert">{error}</p>}
        {d && (
          <section className="card" aria-labelledby="syncs-title">
            <h2 id="syncs-title">{failedOnly ? 'Failed syncs' : 'Latest syncs'} <span className="count">({d.runs.length})</span></h2>
            {d.runs.length === 0 ? <p className="muted">{failedOnly ? 'No failed syncs.' : 'No syncs yet.'}</p> : (
              <table className="table">
                <caption className="visually-hidden">Sync runs</caption>
                <thead><tr><th scope="col">Started</th><th scope="col">Bank and user</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Added · changed · removed</th><th scope="col">Error</th></tr></thead>
                <tbody>
                  {d.runs.map((r) => {
                    const item = byId.get(r.itemId);
                    return (
                      <tr key={r.id}>
                        <td className="tx-date">{dateTime(r.startedAt ?? r.createdAt)}</td>
                        <td data-label="Bank">
                          {item ? <>{item.institutionName ?? 'Bank'} · <Link href={`/support/users/${encodeURIComponent(item.userId)}`}>{item.userEmail}</Link></> : 'Unknown item'}
                        </td>
                        <td data-label="Kind">{humanize(r.kind)}{r.trigger ? ` (${humanize(r.trigger)})` : ''}</td>
                        <td data-label="Status"><span className={r.status === 'FAILED' || r.status === 'LOGIN_REQUIRED' ? 'bad' : undefined}>{humanize(r.status)}</span></td>
                        <td data-label="Added · changed · removed">{r.added} · {r.modified} · {r.removed} <span className="muted">in {r.pages} page{r.pages === 1 ? '' : 's'}</span></td>
                        <td data-label="Error">{r.errorCode ? <span className="bad">{r.errorMessage ?? humanize(r.errorCode)}</span> : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
        )}
      </main>
    </>
  );
}
