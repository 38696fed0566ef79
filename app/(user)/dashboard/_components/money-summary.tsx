import { isDebt } from '../../../_components/account-kind';
import { money } from '../../../_components/format';
import type { AccountView } from '../../../_trpc/types';

/** Net worth (what you have minus what you owe) and this month's money in vs money out, in one currency. */
export function MoneySummary({ accounts, month }: { accounts: AccountView[]; month: { since: string; totals: Array<{ currency: string; moneyIn: number; moneyOut: number }> } }) {
  const currency = mostCommonCurrency(accounts);
  const counted = accounts.filter((a) => (a.isoCurrencyCode ?? 'USD') === currency && a.currentBalance !== null);
  const have = counted.filter((a) => !isDebt(a.type)).reduce((s, a) => s + Number(a.currentBalance), 0);
  const owe = counted.filter((a) => isDebt(a.type)).reduce((s, a) => s + Number(a.currentBalance), 0);
  const others = accounts.length - counted.length;
  const thisMonth = month.totals.find((t) => t.currency === currency) ?? { moneyIn: 0, moneyOut: 0 };
  const left = thisMonth.moneyIn - thisMonth.moneyOut;
  return (
    <section className="card" aria-labelledby="summary-title">
      <h2 id="summary-title">Net worth</h2>
      <p className="big-number">{money(have - owe, currency)}</p>
      <dl className="facts">
        <div><dt>You have</dt><dd>{money(have, currency)}</dd></div>
        <div><dt>You owe</dt><dd>{money(owe, currency)}</dd></div>
      </dl>
      {others > 0 && <p className="muted small">{others} account{others === 1 ? '' : 's'} in another currency or without a balance {others === 1 ? 'is' : 'are'} not counted.</p>}
      <h3 className="subhead">This month so far</h3>
      <dl className="facts">
        <div><dt>Money in</dt><dd className="amount-in">{money(thisMonth.moneyIn, currency)}</dd></div>
        <div><dt>Money out</dt><dd>{money(thisMonth.moneyOut, currency)}</dd></div>
        <div><dt>{left >= 0 ? 'Left over' : 'Overspent'}</dt><dd>{money(Math.abs(left), currency)}</dd></div>
      </dl>
      <p className="muted small">Transfers between your own accounts and card payments are not counted as money in or out.</p>
    </section>
  );
}

function mostCommonCurrency(accounts: AccountView[]): string {
  const counts = new Map<string, number>();
  for (const a of accounts) counts.set(a.isoCurrencyCode ?? 'USD', (counts.get(a.isoCurrencyCode ?? 'USD') ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD';
}
