import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { requireUser } from '../../../../server/auth/guards';
import { env } from '../../../../server/env';
import { readableError, serverCaller } from '../../../../server/trpc/server';
import { AppHeader } from '../../../_components/app-header';
import { dateTime, day } from '../../../_components/format';
import { isDepository } from '../../../_components/account-kind';
import { BankLogo, StatusBadge } from '../../../_components/status-badge';
import { BalancesTable } from '../../_components/balances-table';
import { ItemBanner } from '../../_components/item-banner';
import { ItemActions } from './_components/item-actions';
import { MakeMainButton } from './_components/make-main-button';

export const dynamic = 'force-dynamic';

export default async function ItemPage({ params, searchParams }: { params: Promise<{ itemId: string }>; searchParams: Promise<{ from?: string }> }) {
  const { itemId } = await params;
  const { from } = await searchParams;
  const user = await requireUser(`/items/${itemId}`);
  if (!/^[0-9a-f-]{36}$/i.test(itemId)) notFound();
  const api = await serverCaller();
  let loaded;
  try {
    const [list, canChange] = await Promise.all([api.items.list({ include: { accounts: true, logos: true } }), api.items.canChange()]);
    loaded = { item: list.find((i) => i.id === itemId), canChange };
  } catch (err) {
    if (err instanceof TRPCError && err.code === 'NOT_FOUND') notFound();
    return (<><AppHeader user={user} /><main className="page"><p className="error" role="alert">{readableError(err)}</p></main></>);
  }
  const { item, canChange } = loaded;
  if (!item) notFound();
  const bank = item.institutionName ?? 'Bank';
  const removed = item.status === 'REMOVED';
  const accounts = item.accounts ?? [];
  return (
    <>
      <AppHeader user={user} />
      <main className={`page${removed || item.status === 'REVOKED' ? ' faded-page' : ''}`}>
        <p><Link href="/items">← All banks</Link></p>
        <div className="item-title">
          <BankLogo name={bank} logo={item.institution?.logo} color={item.institution?.primaryColor} />
          <h1>{bank}</h1>
          <StatusBadge status={item.status} />
        </div>
        {from === 'email' && item.status !== 'ACTIVE' && item.status !== 'REMOVED' && (
          <p className="from-email" role="status">You&apos;re in the right place. Use the button below to sign in to {bank} in its secure window; we never see your password.</p>
        )}
        {from === 'email' && item.status === 'ACTIVE' && !item.newAccountsAvailable && (
          <p className="from-email" role="status">{bank} is already connected. There&apos;s nothing you need to do.</p>
        )}
        <ItemBanner item={item} />
        <dl className="facts">
          <div><dt>Linked</dt><dd>{dateTime(item.createdAt)}</dd></div>
          <div><dt>Last synced</dt><dd>{item.lastSyncedAt ? dateTime(item.lastSyncedAt) : 'Not yet'}</dd></div>
          {item.consentExpiresAt && <div><dt>Consent expires</dt><dd>{day(item.consentExpiresAt)}</dd></div>}
          {removed && <div><dt>Removed</dt><dd>{dateTime(item.removedAt)}</dd></div>}
        </dl>
        <section className="card" aria-labelledby="accounts-title">
          <h2 id="accounts-title">Accounts</h2>
          <BalancesTable
            accounts={accounts}
            caption={`Accounts at ${bank}`}
            actions={removed ? undefined : (a) => (a.isMain ? null : isDepository(a.type) ? <MakeMainButton itemId={item.id} accountId={a.id} name={a.name} /> : null)}
          />
        </section>
        {!removed && (
          <ItemActions
            itemId={item.id}
            bank={bank}
            status={item.status}
            canSimulate={env().plaidEnv === 'emulator' || env().plaidEnv === 'sandbox'}
            removalBlockedBy={canChange.allowed ? [] : canChange.reasons}
          />
        )}
      </main>
    </>
  );
}
