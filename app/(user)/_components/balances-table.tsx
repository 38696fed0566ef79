import { accountKindLabel, isDebt } from '../../_components/account-kind';
import { money } from '../../_components/format';
import type { AccountView } from '../../_trpc/types';

/**
 * Accounts with available and current balances and, for credit, the limit. Masks only.
 * With `bankOf` a Bank column says where each account is; with `mainId` only that account is marked main.
 */
export function BalancesTable({ accounts, caption, actions, bankOf, mainId }: {
  accounts: AccountView[];
  caption: string;
  actions?: (a: AccountView) => React.ReactNode;
  bankOf?: Record<string, string>;
  mainId?: string | null;
}) {
  if (accounts.length === 0) return <p className="muted">No accounts yet.</p>;
  const isMain = (a: AccountView) => (mainId === undefined ? a.isMain : a.id === mainId);
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Account</th>
          {bankOf && <th scope="col">Bank</th>}
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
              {a.name} {a.mask && <span className="muted">•••• {a.mask}</span>} {isMain(a) && <span className="badge badge-main">Main account</span>}
            </th>
            {bankOf && <td data-label="Bank">{bankOf[a.itemId] ?? 'Bank'}</td>}
            <td data-label="Type">{accountKindLabel(a.type, a.subtype)}</td>
            {isDebt(a.type) && a.type !== 'credit' ? (
              <Cell label="Available" value={null} currency={a.isoCurrencyCode} />
            ) : a.availableBalance === null ? (
              // Plaid gives null where the bank does not work out an available balance (many cards, some bank accounts).
              <td className="num muted" data-label="Available">Not reported by bank</td>
            ) : (
              <Cell label="Available" value={a.availableBalance} currency={a.isoCurrencyCode} />
            )}
            <td className="num" data-label={isDebt(a.type) ? 'Owed' : 'Current'}>
              {money(a.currentBalance, a.isoCurrencyCode)}{isDebt(a.type) && a.currentBalance !== null && <span className="muted owed-word"> owed</span>}
            </td>
            <Cell label="Credit limit" value={a.type === 'credit' ? a.creditLimit : null} currency={a.isoCurrencyCode} />
            {actions && <td>{actions(a)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An amount cell; an empty one is a dash on a wide table and left out of a phone's list (class "na"). */
function Cell({ label, value, currency }: { label: string; value: string | number | null; currency: string | null }) {
  return <td className={value === null ? 'num na' : 'num'} data-label={label}>{value === null ? '—' : money(value, currency)}</td>;
}
