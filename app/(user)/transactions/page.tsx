import { requireUser } from '../../../server/auth/guards';
import { isoDate, plaidId } from '../../../server/trpc/schemas';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { LiveTransactions } from './_components/live-transactions';
import { TransactionFilters } from './_components/transaction-filters';
import { TransactionList } from './_components/transaction-list';

export const dynamic = 'force-dynamic';
const PAGE = 50;
const isDate = (s: string | undefined) => (s && isoDate.safeParse(s).success ? s : undefined);
const isId = (s: string | undefined) => (s && plaidId.safeParse(s).success ? s : undefined);

export default async function TransactionsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requireUser('/transactions');
  const sp = await searchParams;
  const filters = {
    search: sp.q?.trim().slice(0, 100) || undefined,
    accountId: isId(sp.account),
    from: isDate(sp.from),
    to: isDate(sp.to),
  };
  // Filters from the address bar that cannot be used are dropped, and the person is told which.
  const dropped = [
    sp.from && !filters.from ? `the start date “${sp.from.slice(0, 20)}”` : null,
    sp.to && !filters.to ? `the end date “${sp.to.slice(0, 20)}”` : null,
    sp.account && !filters.accountId ? 'the chosen account' : null,
  ].filter(Boolean);
  if (filters.from && filters.to && filters.from > filters.to) {
    dropped.push('the dates (the start was after the end)');
    filters.from = undefined;
    filters.to = undefined;
  }
  const api = await serverCaller();
  let loaded;
  let error: string | null = null;
  try {
    const [items, first, count] = await Promise.all([
      api.items.list({ include: { accounts: true } }),
      api.transactions.cached({ ...filters, limit: PAGE }),
      api.transactions.count(filters),
    ]);
    // A removed bank's transactions stay listed (its data is kept); only live banks are asked for fresh data.
    loaded = { items: items.filter((i) => i.status !== 'REMOVED'), allItems: items, first, total: count.total };
  } catch (err) {
    error = readableError(err);
  }
  const accounts = (loaded?.allItems ?? []).flatMap((i) =>
    (i.accounts ?? []).map((a) => ({ id: a.id, label: `${i.institutionName ?? 'Bank'}${i.status === 'REMOVED' ? ' (removed)' : ''} · ${a.name}${a.mask ? ` ••${a.mask}` : ''}` })),
  );
  const accountNames = Object.fromEntries(accounts.map((a) => [a.id, a.label]));
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Transactions</h1>
        <TransactionFilters accounts={accounts} values={{ q: filters.search ?? '', account: filters.accountId ?? '', from: filters.from ?? '', to: filters.to ?? '' }} />
        {dropped.length > 0 && (
          <p className="notice warn" role="status">
            We ignored {dropped.join(' and ')}: {dropped.length > 1 ? 'they are' : 'it is'} not valid. Dates look like 2026-01-31. Showing transactions without {dropped.length > 1 ? 'those filters' : 'that filter'}.
          </p>
        )}
        {error && <p className="error" role="alert">{error}</p>}
        {loaded && loaded.total > 0 && (
          <p><a className="button-link secondary" href={`/transactions/export?${exportQuery(filters)}`} download>Download these as CSV</a></p>
        )}
        {loaded && (
          <TransactionList
            key={JSON.stringify(filters)}
            filters={filters}
            limit={PAGE}
            first={loaded.first}
            total={loaded.total}
            accountNames={accountNames}
          />
        )}
        {loaded && loaded.items.length > 0 && (
          <LiveTransactions
            banks={loaded.items.filter((i) => i.status !== 'REVOKED').map((i) => ({ id: i.id, name: i.institutionName ?? 'Bank' }))}
            accountNames={accountNames}
          />
        )}
      </main>
    </>
  );
}

function exportQuery(f: { search?: string; accountId?: string; from?: string; to?: string }) {
  const q = new URLSearchParams();
  if (f.search) q.set('q', f.search);
  if (f.accountId) q.set('account', f.accountId);
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  return q.toString();
}
