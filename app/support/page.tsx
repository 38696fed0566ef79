import Link from 'next/link';
import { requireSupport } from '../../server/auth/guards';
import { readableError, serverCaller } from '../../server/trpc/server';
import { AppHeader } from '../_components/app-header';
import { dateTime } from '../_components/format';
import { SupportNav } from './_components/support-nav';

export const dynamic = 'force-dynamic';

export default async function SupportPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await requireSupport('/support');
  const q = (await searchParams).q?.trim().slice(0, 200) ?? '';
  let results = null;
  let error: string | null = null;
  if (q) {
    try {
      results = await (await serverCaller()).support.users.search({ query: q, limit: 50 });
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
            Email, name or user id
            <input type="search" name="q" defaultValue={q} required maxLength={200} />
          </label>
          <button type="submit">Search</button>
        </form>
        {!q && <p className="muted">Find a user to inspect their bank connections.</p>}
        {error && <p className="error" role="alert">{error}</p>}
        {results && results.length === 0 && <p className="muted">No users match “{q}”.</p>}
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
