import Link from 'next/link';
import type { ItemView } from '../../../server/items/item-access';
import { day } from '../../_components/format';
import { LinkButton } from '../../_components/link/link-button';

/**
 * What a connection needs from its owner, if anything — in the lifecycle's words and with its
 * action (server/items/lifecycle.ts): reconnect in update mode, act at the bank first, link
 * another bank, link again after access was revoked, or share new accounts.
 */
export function ItemBanner({ item }: { item: ItemView }) {
  const bank = item.institutionName ?? 'Your bank';
  if (item.status === 'ERROR') {
    const headline =
      item.action === 'fix_at_bank' ? `${bank} needs you to act on its website.`
      : item.action === 'link_another_bank' ? `We can no longer use ${bank}.`
      : `${bank} needs your attention.`;
    return (
      <section className="banner banner-error" role="alert" aria-label={`${bank} needs attention`}>
        <div>
          <strong>{headline}</strong> {item.errorMessage} Until then we cannot fetch new transactions.
        </div>
        {item.action === 'link_another_bank'
          ? <Link href="/link" className="button-link">Link another bank</Link>
          : <LinkButton target={{ kind: 'update', itemId: item.id }} label="Reconnect" />}
      </section>
    );
  }
  if (item.status === 'PENDING_DISCONNECT') {
    return (
      <section className="banner banner-warn" role="alert" aria-label={`${bank} will disconnect`}>
        <div>
          <strong>{bank} will stop sharing data{item.disconnectAt ? ` on ${day(item.disconnectAt)}` : ' soon'}.</strong> {item.errorMessage}
        </div>
        <LinkButton target={{ kind: 'update', itemId: item.id }} label="Reconnect" />
      </section>
    );
  }
  if (item.status === 'REVOKED') {
    return (
      <section className="banner banner-muted" aria-label={`${bank} disconnected`}>
        <div><strong>{bank} is no longer connected.</strong> {item.errorMessage}</div>
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
