import Link from 'next/link';
import type { ItemView } from '../../../server/items/item-access';
import { day } from '../../_components/format';
import { LinkButton } from '../../_components/link/link-button';

/**
 * What a connection needs from its owner, if anything: sign in again (ERROR), act before a date
 * (PENDING_DISCONNECT), share new accounts, or link again after access was revoked.
 */
export function ItemBanner({ item }: { item: ItemView }) {
  const bank = item.institutionName ?? 'Your bank';
  if (item.status === 'ERROR') {
    return (
      <section className="banner banner-error" role="alert" aria-label={`${bank} needs attention`}>
        <div>
          <strong>{bank} needs you to sign in again.</strong>{' '}
          {item.errorMessage ?? 'The bank stopped accepting our connection.'} Until then we cannot fetch new transactions.
        </div>
        <LinkButton target={{ kind: 'update', itemId: item.id }} label="Reconnect" />
      </section>
    );
  }
  if (item.status === 'PENDING_DISCONNECT') {
    return (
      <section className="banner banner-warn" role="alert" aria-label={`${bank} will disconnect`}>
        <div>
          <strong>{bank} will stop sharing data{item.disconnectAt ? ` on ${day(item.disconnectAt)}` : ' soon'}.</strong> Reconnect to keep it up to date.
        </div>
        <LinkButton target={{ kind: 'update', itemId: item.id }} label="Reconnect" />
      </section>
    );
  }
  if (item.status === 'REVOKED') {
    return (
      <section className="banner banner-muted" aria-label={`${bank} disconnected`}>
        <div><strong>You revoked Tributary&apos;s access at {bank}.</strong> Link it again to resume.</div>
        <Link href="/link" className="button-link">Link again</Link>
      </section>
    );
  }
  if (item.status === 'ACTIVE' && item.newAccountsAvailable) {
    return (
      <section className="banner banner-info" aria-label={`New accounts at ${bank}`}>
        <div><strong>{bank} has new accounts.</strong> Choose which ones to share with Tributary.</div>
        <LinkButton target={{ kind: 'update', itemId: item.id }} label="Add accounts" className="secondary" />
      </section>
    );
  }
  return null;
}

export function ItemBanners({ items }: { items: ItemView[] }) {
  const banners = items.filter((i) => i.status !== 'REMOVED');
  return <>{banners.map((i) => <ItemBanner key={i.id} item={i} />)}</>;
}
