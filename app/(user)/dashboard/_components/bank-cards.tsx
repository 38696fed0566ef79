import Link from 'next/link';
import { BankLogo, StatusBadge } from '../../../_components/status-badge';
import { dateTime } from '../../../_components/format';
import type { ItemWithAccounts } from '../../../_trpc/types';

/** The user's banks: logo, brand colour, status in words; disconnected ones faded. */
export function BankCards({ items }: { items: ItemWithAccounts[] }) {
  return (
    <ul className="bank-cards">
      {items.map((item) => {
        const faded = item.status === 'REMOVED' || item.status === 'REVOKED';
        const name = item.institutionName ?? 'Bank';
        return (
          <li key={item.id} className={`bank-card${faded ? ' faded' : ''}`} style={{ borderLeftColor: item.institution?.primaryColor ?? 'var(--border)' }}>
            <BankLogo name={name} logo={item.institution?.logo} color={item.institution?.primaryColor} />
            <div className="bank-card-body">
              <Link href={`/items/${item.id}`} className="bank-name">{name}</Link>
              <div className="bank-meta">
                <StatusBadge status={item.status} />
                {item.replacedBy && <span className="muted">Replaced by your new connection</span>}
                <span className="muted">
                  {item.accounts?.length ?? 0} account{item.accounts?.length === 1 ? '' : 's'} · synced {item.lastSyncedAt ? dateTime(item.lastSyncedAt) : 'not yet'}
                </span>
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
