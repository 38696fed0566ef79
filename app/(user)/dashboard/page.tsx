import Link from 'next/link';
import { requireUser } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { money } from '../../_components/format';
import { BalancesTable } from '../_components/balances-table';
import { ItemBanners } from '../_components/item-banner';
import { BankCards } from './_components/bank-cards';
import { SpendingChart } from './_components/spending-chart';
import { SyncProgress } from './_components/sync-progress';

export const dynamic = 'force-dynamic';
const DAYS = 30;

export default async function DashboardPage() {
  const user = await requireUser('/dashboard');
  const api = await serverCaller();
  let data;
  try {
    const [items, spending, sync] = await Promise.all([
      api.items.list({ include: { accounts: true, logos: true } }),
      api.transactions.spending({ days: DAYS }),
      api.items.syncStatus(),
    ]);
    data = { items, spending, sync };
  } catch (err) {
    return (
      <>
        <AppHeader user={user} />
        <main className="page"><h1>Your money</h1><p className="error" role="alert">{readableError(err)}</p></main>
      </>
    );
  }
  const { items, spending, sync } = data;
  const live = items.filter((i) => i.status !== 'REMOVED');
  const accounts = live
    .filter((i) => i.status !== 'REVOKED')
    .flatMap((i) => [...(i.accounts ?? [])].sort((a, b) => Number(b.isMain) - Number(a.isMain) || a.name.localeCompare(b.name)));
  const main = live.map((i) => i.accounts?.find((a) => a.id === i.mainAccountId)).find(Boolean);
  const names = Object.fromEntries(items.map((i) => [i.id, i.institutionName ?? 'your bank']));

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Your money</h1>
        {live.length === 0 ? (
          <section className="card" aria-labelledby="empty-title">
            <h2 id="empty-title">No bank linked yet</h2>
            <p>Link a bank to see your accounts, balances and transactions here.</p>
            <Link href="/link" className="button-link">Link a bank</Link>
          </section>
        ) : (
          <>
            <ItemBanners items={live} />
            <SyncProgress initial={sync} names={names} />
            <div className="grid-2">
              <section className="card" aria-labelledby="banks-title">
                <h2 id="banks-title">Your banks</h2>
                <BankCards items={items} />
                <p><Link href="/link">Link another bank</Link></p>
              </section>
              <section className="card" aria-labelledby="main-title">
                <h2 id="main-title">Main account</h2>
                {main ? (
                  <div className="main-account">
                    <p className="big-number">{money(main.availableBalance ?? main.currentBalance, main.isoCurrencyCode)}</p>
                    <p>{main.name} {main.mask && <span className="muted">•••• {main.mask}</span>}</p>
                    <p className="muted">Available · current {money(main.currentBalance, main.isoCurrencyCode)}</p>
                  </div>
                ) : (
                  <p className="muted">Choose a main account on one of your banks.</p>
                )}
              </section>
            </div>
            <section className="card" aria-labelledby="balances-title">
              <h2 id="balances-title">Balances</h2>
              <BalancesTable accounts={accounts} caption="Balances of all your accounts" />
            </section>
            <section className="card" aria-labelledby="spending-title">
              <h2 id="spending-title">Spending by category, last {DAYS} days</h2>
              <SpendingChart categories={spending.categories} days={DAYS} />
              <p><Link href="/transactions">See all transactions</Link></p>
            </section>
          </>
        )}
      </main>
    </>
  );
}
