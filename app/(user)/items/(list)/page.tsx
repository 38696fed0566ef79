import Link from 'next/link';
import { itemStatuses, type ItemStatus } from '../../../../db/schema/items';
import { requireUser } from '../../../../server/auth/guards';
import { readableError, serverCaller } from '../../../../server/trpc/server';
import { AppHeader } from '../../../_components/app-header';
import { dateTime } from '../../../_components/format';
import { BankLogo, StatusBadge } from '../../../_components/status-badge';

export const dynamic = 'force-dynamic';

const tabs: Array<{ status: ItemStatus | null; label: string }> = [
  { status: null, label: 'Current' },
  { status: 'ACTIVE', label: 'Connected' },
  { status: 'ERROR', label: 'Needs attention' },
  { status: 'PENDING_DISCONNECT', label: 'Disconnecting' },
  { status: 'REVOKED', label: 'Revoked' },
  { status: 'REMOVED', label: 'Removed' },
];

export default async function ItemsPage({ searchParams }: { searchParams: Promise<{ status?: string; removed?: string }> }) {
  const user = await requireUser('/items');
  const { status: raw, removed: removedId } = await searchParams;
  const status = itemStatuses.find((s) => s === raw);
  let items;
  let error: string | null = null;
  let justRemoved;
  try {
    const found = await (await serverCaller()).items.list({ status, include: { logos: true, accounts: true } });
    // Removed banks are listed under their own tab only, never among the current ones.
    items = status ? found : found.filter((i) => i.status !== 'REMOVED');
    justRemoved = removedId ? found.find((i) => i.id === removedId && i.status === 'REMOVED') : undefined;
  } catch (err) {
    error = readableError(err);
  }
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Your banks</h1>
        <nav aria-label="Filter by status" className="tabs">
          {tabs.map((t) => (
            <Link key={t.label} href={t.status ? `/items?status=${t.status}` : '/items'} aria-current={(t.status ?? undefined) === status ? 'page' : undefined}>
              {t.label}
            </Link>
          ))}
        </nav>
        {justRemoved && (
          <p className="notice success" role="status">
            {justRemoved.institutionName ?? 'The bank'} was removed. We no longer fetch its data; its past transactions are kept.
          </p>
        )}
        {error && <p className="error" role="alert">{error}</p>}
        {items && items.length === 0 && (
          <section className="card"><p>No banks {status ? 'with this status' : 'linked yet'}. <Link href="/link">Link a bank</Link></p></section>
        )}
        <ul className="bank-cards">
          {items?.map((item) => (
            <li key={item.id} className={`bank-card${item.status === 'REMOVED' || item.status === 'REVOKED' ? ' faded' : ''}`} style={{ borderLeftColor: item.institution?.primaryColor ?? 'var(--border)' }}>
              <BankLogo name={item.institutionName ?? 'Bank'} logo={item.institution?.logo} color={item.institution?.primaryColor} />
              <div className="bank-card-body">
                <Link href={`/items/${item.id}`} className="bank-name">{item.institutionName ?? 'Bank'}</Link>
                <div className="bank-meta">
                  <StatusBadge status={item.status} />
                  {item.replacedBy && <span className="muted">Replaced by your new connection</span>}
                  <span className="muted">{item.accounts?.length ?? 0} accounts · linked {dateTime(item.createdAt)}</span>
                </div>
              </div>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
