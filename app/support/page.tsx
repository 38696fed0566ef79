import Link from 'next/link';
import { requireSupport } from '../../server/auth/guards';
import { readableError, serverCaller } from '../../server/trpc/server';
import { AppHeader } from '../_components/app-header';
import { dateTime } from '../_components/format';
import { StatusBadge } from '../_components/status-badge';
import { SupportNav } from './_components/support-nav';

export const dynamic = 'force-dynamic';

export default async function SupportPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await requireSupport('/support');
  const q = (await searchParams).q?.trim().slice(0, 200) ?? '';
  let results = null;
  let items = null;
  let error: string | null = null;
  if (q) {
    try {
      const api = await serverCaller();
      // One box for everything: people by email, name or id; bank connections by item id, Plaid item id or institution.
      [results, items] = await Promise.all([api.support.users.search({ query: q, limit: 50 }), api.support.items.list({ search: q, limit: 50 })]);
    } catch (err) {
      error = readableError(err);
    }
  }
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Support console</h1>
        <SupportNav current="users" />
        <form method="get" action="/support" role="search" aria-label="Find a user" className="card search-form">
          <label>
            Email, name, user id, item id, Plaid item id or institution
            <input type="search" name="q" defaultValue={q} required maxLength={200} />
          </label>
          <button type="submit">Search</button>
        </form>
        {!q && <p className="muted">Find a person or a bank connection. The Items, Webhooks, Syncs and Audit log tabs show everything across users.</p>}
        {error && <p className="error" role="alert">{error}</p>}
        {results && results.length === 0 && items?.length === 0 && <p className="muted">Nothing matches “{q}”.</p>}
        {items && items.length > 0 && (
          <section className="card" aria-labelledby="found-items">
            <h2 id="found-items">Bank connections <span className="count">({items.length})</span></h2>
            <ul className="plain-list">
              {items.map((i) => (
                <li key={i.id}>
                  <strong>{i.institutionName ?? 'Bank'}</strong> <StatusBadge status={i.status} /> · <Link href={`/support/users/${encodeURIComponent(i.userId)}`}>{i.userEmail}</Link>
                  <div className="muted small">item {i.id} · linked {dateTime(i.createdAt)}</div>
                </li>
              ))}
            </ul>
          </section>
        )}
        {results && results.length > 0 && (
          <table className="table card">
            <caption className="visually-hidden">Users matching {q}</caption>
            <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Joined</th></tr></thead>
            <tbody>
              {results.map((u) => (
                <tr key={u.id}>
                  <th scope="row"><Link href={`/support/users/${encodeURIComponent(u.id)}`}>{u.email}</Link></th>
                  <td data-label="Name">{u.name}</td><td data-label="Role">{u.role}</td><td data-label="Status">{u.status}</td><td data-label="Joined">{dateTime(u.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </>
  );
}
