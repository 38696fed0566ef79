import { day, humanize, signedAmount } from '../../../_components/format';

export interface TxRow {
  id: string; date: string; name: string; merchantName: string | null; amount: string | number;
  isoCurrencyCode: string | null; pending: boolean; category: string | null; accountId: string;
}

/** A table of transactions: money in shown with +, money out with −, pending marked in words. */
export function TransactionRows({ rows, accountNames, caption }: { rows: TxRow[]; accountNames: Record<string, string>; caption: string }) {
  return (
    <table className="table tx-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Description</th>
          <th scope="col">Category</th>
          <th scope="col">Account</th>
          <th scope="col" className="num">Amount</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => {
          const amount = signedAmount(t.amount, t.isoCurrencyCode);
          return (
            <tr key={t.id}>
              <td className="tx-date">{day(t.date)}</td>
              <td>
                {t.merchantName ?? t.name} {t.pending && <span className="badge badge-pending">Pending</span>}
              </td>
              <td data-label="Category">{humanize(t.category)}</td>
              <td className="muted" data-label="Account">{accountNames[t.accountId] ?? '—'}</td>
              <td className={`num amount-${amount.direction}`} data-label="Amount">{amount.text}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
