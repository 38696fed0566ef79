import Link from 'next/link';
import type { ItemView } from '../../../server/items/item-access';
import { actionFor, copyFor, type NotificationKind, problemFor } from '../../../server/notifications/kinds';
import { day } from '../../_components/format';
import { LinkButton } from '../../_components/link/link-button';

const tone: Record<NotificationKind, string> = {
  login_required: 'banner-error',
  pending_expiration: 'banner-warn',
  pending_disconnect: 'banner-warn',
  permission_revoked: 'banner-muted',
  institution_unsupported: 'banner-muted',
  new_accounts: 'banner-info',
  reconnected: 'banner-info',
};

/** The kind of message an item's state calls for: the same table as the emails (server/notifications/kinds.ts). */
function bannerKind(item: ItemView): NotificationKind | null {
  if (item.status === 'ACTIVE') return item.newAccountsAvailable ? 'new_accounts' : null;
  if (item.status === 'PENDING_DISCONNECT') return item.consentExpiresAt && !item.disconnectAt ? 'pending_expiration' : 'pending_disconnect';
  return problemFor(item.status, item.errorCode);
}

/**
 * What a connection needs from its owner, if anything, in the words of the emails we send about
 * it (kinds.ts): sign in again, act before a date, share new accounts, link again or link another
 * bank. A bank that is only down says so and asks for nothing.
 */
export function ItemBanner({ item }: { item: ItemView }) {
  const bank = item.institutionName ?? 'Your bank';
  // Linked again: the old connection no longer asks for anything; it only says where the new one is.
  if (item.replacedBy) {
    return (
      <section className="banner banner-muted" aria-label={`${bank}: replaced by your new connection`}>
        <div>{item.errorMessage}</div>
        <Link href={`/items/${item.replacedBy}`} className="button-link secondary">Go to the new connection</Link>
      </section>
    );
  }
  const kind = bannerKind(item);
  if (!kind) {
    if (item.status !== 'ERROR') return null;
    return (
      <section className="banner banner-muted" aria-label={`${bank} is having trouble`}>
        <div><strong>{bank} isn&apos;t responding right now.</strong> This usually fixes itself; there&apos;s nothing you need to do.</div>
      </section>
    );
  }
  const deadline = item.consentExpiresAt ?? item.disconnectAt;
  const copy = copyFor(kind, bank, { deadline: deadline ? day(deadline) : null });
  const action = actionFor(kind);
  const label = kind === 'login_required' ? `${bank} needs attention` : copy.headline;
  return (
    <section className={`banner ${tone[kind]}`} role={kind === 'new_accounts' ? undefined : 'alert'} aria-label={label}>
      <div>
        <strong>{copy.headline}.</strong> {kind === 'login_required' && item.errorMessage ? `${item.errorMessage} ` : ''}
        {copy.ifIgnored}
      </div>
      {action === 'update_mode' ? (
        <LinkButton target={{ kind: 'update', itemId: item.id }} label={copy.button} className={kind === 'new_accounts' ? 'secondary' : undefined} />
      ) : (
        <Link href="/link" className="button-link">{copy.button}</Link>
      )}
    </section>
  );
}

export function ItemBanners({ items }: { items: ItemView[] }) {
  // A removed bank, or a dead one linked again since, asks nothing of the person here.
  const banners = items.filter((i) => i.status !== 'REMOVED' && !i.replacedBy);
  return <>{banners.map((i) => <ItemBanner key={i.id} item={i} />)}</>;
}
