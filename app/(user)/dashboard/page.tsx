import Link from 'next/link';
import { requireUser } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { money } from '../../_components/format';
import { BalancesTable } from '../_components/balances-table';
import { ItemBanners } from '../_components/item-banner';
import { isDebt, isDepository } from '../../_components/account-kind';
import { BankCards } from './_components/bank-cards';
import { MoneySummary } from './_components/money-summary';
import { NetWorthChart } from './_components/net-worth-chart';
import { SpendingChart } from './_components/spending-chart';
import { SyncProgress } from './_components/sync-progress';

export const dynamic = 'force-dynamic';
const DAYS = 30;
const HISTORY_DAYS = 90;

export default async function DashboardPage() {
  const user = await requireUser('/dashboard');
  const api = await serverCaller();
  let data;
  try {
    const [items, spending, sync, month, history] = await Promise.all([
      api.items.list({ include: { accounts: true, logos: true } }),
      api.transactions.spending({ days: DAYS }),
      api.items.syncStatus(),
      api.transactions.month(),
      api.accounts.balanceHistory({ days: HISTORY_DAYS }),
    ]);
    data = { items, spending, sync, month, history };
  } catch (err) {
    return (
      <>
        <AppHeader user={user} />
        <main className="page"><h1>Your money</h1><p className="error" role="alert">{readableError(err)}</p></main>
      </>
    );
  }
  const { items, spending, sync, month, history } = data;
  const live = items.filter((i) => i.status !== 'REMOVED');
  const removed = items.filter((i) => i.status === 'REMOVED');
  const accounts = live
    .filter((i) => i.status !== 'REVOKED')
    .flatMap((i) => [...(i.accounts ?? [])].sort((a, b) => Number(b.isMain) - Number(a.isMain) || a.name.localeCompare(b.name)));
  // One main account for the person: the first bank's main, and only among bank (depository) accounts.
  const main = live.map((i) => i.accounts?.find((a) => a.id === i.mainAccountId && isDepository(a.type))).find(Boolean);
  const mainBank = main ? live.find((i) => i.id === main.itemId)?.institutionName ?? 'your bank' : null;
  const names = Object.fromEntries(items.map((i) => [i.id, i.institutionName ?? 'your bank']));
  const have = accounts.filter((a) => !isDebt(a.type));
  const owe = accounts.filter((a) => isDebt(a.type));

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
                <BankCards items={live} />
                {removed.length > 0 && (
                  <p className="muted small removed-banks">Removed: {removed.map((i) => i.institutionName ?? 'Bank').join(', ')}. Their past transactions are kept.</p>
                )}
                <p><Link href="/link">Link another bank</Link></p>
              </section>
              <section className="card" aria-labelledby="main-title">
                <h2 id="main-title">Main account</h2>
                {main ? (
                  <div className="main-account">
                    <p className="big-number">{money(main.availableBalance ?? main.currentBalance, main.isoCurrencyCode)}</p>
                    <p>{main.name} {main.mask && <span className="muted">•••• {main.mask}</span>} at {mainBank}</p>
                    {main.availableBalance !== null ? (
                      <p className="muted">Available · current {money(main.currentBalance, main.isoCurrencyCode)}</p>
                    ) : (
                      // Never shown as an available amount it is not: the bank reported no available balance.
                      <p className="muted">Current balance · your bank does not report an available balance for this account</p>
                    )}
                  </div>
                ) : (
                  <p className="muted">Choose a main account on one of your banks.</p>
                )}
              </section>
            </div>
            <MoneySummary accounts={accounts} month={month} />
            <section className="card" aria-labelledby="history-title">
              <h2 id="history-title">Net worth, last {HISTORY_DAYS} days</h2>
              <NetWorthChart points={history.points} currency={history.currency} />
            </section>
            <section className="card" aria-labelledby="balances-title">
              <h2 id="balances-title">What you have</h2>
              <BalancesTable accounts={have} caption="Your bank and investment accounts" bankOf={names} mainId={main?.id ?? null} />
            </section>
            {owe.length > 0 && (
              <section className="card" aria-labelledby="debts-title">
                <h2 id="debts-title">What you owe</h2>
                <BalancesTable accounts={owe} caption="Your credit cards and loans" bankOf={names} mainId={null} />
              </section>
            )}
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
