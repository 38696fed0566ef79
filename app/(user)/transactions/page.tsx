import { requireUser } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { LiveTransactions } from './_components/live-transactions';
import { TransactionFilters } from './_components/transaction-filters';
import { TransactionList } from './_components/transaction-list';

export const dynamic = 'force-dynamic';
const PAGE = 50;
const isDate = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined);

export default async function TransactionsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requireUser('/transactions');
  const sp = await searchParams;
  const filters = {
    search: sp.q?.trim().slice(0, 100) || undefined,
    accountId: sp.account || undefined,
    from: isDate(sp.from),
    to: isDate(sp.to),
  };
  const api = await serverCaller();
  let loaded;
  let error: string | null = null;
  try {
    const [items, first] = await Promise.all([
      api.items.list({ include: { accounts: true } }),
      api.transactions.cached({ ...filters, limit: PAGE }),
    ]);
    loaded = { items: items.filter((i) => i.status !== 'REMOVED'), first };
  } catch (err) {
    error = readableError(err);
  }
  const accounts = (loaded?.items ?? []).flatMap((i) => (i.accounts ?? []).map((a) => ({ id: a.id, label: `${i.institutionName ?? 'Bank'} · ${a.name}${a.mask ? ` ••${a.mask}` : ''}` })));
  const accountNames = Object.fromEntries(accounts.map((a) => [a.id, a.label]));
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Transactions</h1>
        <TransactionFilters accounts={accounts} values={{ q: filters.search ?? '', account: filters.accountId ?? '', from: filters.from ?? '', to: filters.to ?? '' }} />
        {error && <p className="error" role="alert">{error}</p>}
        {loaded && (
          <TransactionList
            key={JSON.stringify(filters)}
            filters={filters}
            limit={PAGE}
            first={loaded.first}
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
