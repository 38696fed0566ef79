import { humanize, money } from '../../_components/format';
import type { AccountView } from '../../_trpc/types';

/** Accounts with available and current balances and, for credit, the limit. Masks only. */
export function BalancesTable({ accounts, caption, actions }: { accounts: AccountView[]; caption: string; actions?: (a: AccountView) => React.ReactNode }) {
  if (accounts.length === 0) return <p className="muted">No accounts yet.</p>;
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Type</th>
          <th scope="col" className="num">Available</th>
          <th scope="col" className="num">Current</th>
          <th scope="col" className="num">Credit limit</th>
          {actions && <th scope="col"><span className="visually-hidden">Actions</span></th>}
        </tr>
      </thead>
      <tbody>
        {accounts.map((a) => (
          <tr key={a.id}>
            <th scope="row">
              {a.name} {a.mask && <span className="muted">•••• {a.mask}</span>} {a.isMain && <span className="badge badge-main">Main</span>}
            </th>
            <td data-label="Type">{humanize(a.subtype ?? a.type)}</td>
            <td className="num" data-label="Available">{money(a.availableBalance, a.isoCurrencyCode)}</td>
            <td className="num" data-label="Current">{money(a.currentBalance, a.isoCurrencyCode)}</td>
            <td className="num" data-label="Credit limit">{a.type === 'credit' ? money(a.creditLimit, a.isoCurrencyCode) : '—'}</td>
            {actions && <td>{actions(a)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
