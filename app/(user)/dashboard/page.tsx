import { AppHeader } from '../../_components/app-header';
import { requireUser } from '../../../server/auth/guards';

export const dynamic = 'force-dynamic';

export default async function DashboardPage() {
  const user = await requireUser('/dashboard');
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Your money</h1>
        {user.status === 'PENDING' ? (
          <section className="card" aria-labelledby="empty-title">
            <h2 id="empty-title">No bank linked yet</h2>
            <p>Link a bank to see your accounts, balances and transactions here.</p>
          </section>
        ) : (
          <section className="card">
            <h2>Your banks</h2>
          </section>
        )}
      </main>
    </>
  );
}
