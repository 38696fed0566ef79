import type { ItemStatus } from '../../db/schema/items';

const labels: Record<ItemStatus, string> = {
  ACTIVE: 'Connected',
  ERROR: 'Needs attention',
  PENDING_DISCONNECT: 'Disconnecting soon',
  REVOKED: 'Access revoked',
  REMOVED: 'Removed',
};

/** An item's status in words, with a colour that is never the only signal. */
export function StatusBadge({ status }: { status: ItemStatus }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{labels[status]}</span>;
}

export function BankLogo({ name, logo, color }: { name: string; logo?: string | null; color?: string | null }) {
  if (logo) return <img className="bank-logo" src={`data:image/png;base64,${logo}`} alt="" width={40} height={40} />;
  return (
    <span className="bank-logo bank-initial" style={{ background: color ?? 'var(--accent)' }} aria-hidden="true">
      {name.charAt(0)}
    </span>
  );
}
