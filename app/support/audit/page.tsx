import Link from 'next/link';
import { requireSupport } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { dateTime } from '../../_components/format';
import { auditAction, auditActor } from '../_components/audit-words';
import { SupportNav } from '../_components/support-nav';

export const dynamic = 'force-dynamic';

/** Every audited action, newest first, with staff by name and email rather than by id. */
export default async function SupportAuditPage() {
  const me = await requireSupport('/support/audit');
  let d;
  let error: string | null = null;
  try {
    const api = await serverCaller();
    const [entries, items] = await Promise.all([api.support.audit.list({ limit: 200 }), api.support.items.list({ limit: 200 })]);
    const people = [...new Set(entries.map((e) => e.subjectUserId).filter((id): id is string => Boolean(id)))];
    const found = await Promise.all(people.map((id) => api.support.users.byId({ userId: id }).catch(() => null)));
    d = { entries, items, who: new Map(found.filter((u) => u !== null).map((u) => [u.id, u.email])) };
  } catch (err) {
    error = readableError(err);
  }
  const banks = new Map((d?.items ?? []).map((i) => [i.id, i.institutionName ?? 'Bank']));
  const who: Map<string, string> = d?.who ?? new Map();
  return (
    <>
      <AppHeader user={me} />
      <main className="page wide">
        <h1>Audit log</h1>
        <SupportNav current="audit" />
        {error && <p className="error" role="alert">{error}</p>}
        {d && (
          <section className="card" aria-labelledby="audit-title">
            <h2 id="audit-title">Latest actions <span className="count">({d.entries.length})</span></h2>
            {d.entries.length === 0 ? <p className="muted">Nothing audited yet.</p> : (
              <table className="table">
                <caption className="visually-hidden">Audited actions, newest first</caption>
                <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">For</th><th scope="col">Reason</th></tr></thead>
                <tbody>
                  {d.entries.map((e) => (
                    <tr key={e.id}>
                      <td className="tx-date">{dateTime(e.createdAt)}</td>
                      <td data-label="Who">{auditActor(e)}</td>
                      <td data-label="Action">{auditAction(e.action)}</td>
                      <td data-label="For">
                        {e.subjectUserId ? <Link href={`/support/users/${encodeURIComponent(e.subjectUserId)}`}>{d.who.get(e.subjectUserId) ?? 'a user'}</Link> : '—'}
                        {e.itemId && <> · {banks.get(e.itemId) ?? 'a bank'}</>}
                      </td>
                      <td data-label="Reason">{e.reason ?? '—'}</td>
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
