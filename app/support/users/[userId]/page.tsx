import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { requireSupport } from '../../../../server/auth/guards';
import { env } from '../../../../server/env';
import { readableError, serverCaller } from '../../../../server/trpc/server';
import { AppHeader } from '../../../_components/app-header';
import { dateTime, humanize, money } from '../../../_components/format';
import { SupportNav } from '../../_components/support-nav';
import { ItemTimeline } from '../../_components/item-timeline';
import { CreateFloatForm } from './_components/create-float-form';
import { SupportAction } from './_components/support-action';
import { AuditSection, ItemsSection, JobRunsSection, LinkSessionsSection, NotificationsSection, SyncRunsSection, WebhooksSection } from './_components/user-sections';

export const dynamic = 'force-dynamic';

const TABS = [
  { key: 'overview', label: 'Banks and floats' },
  { key: 'timeline', label: 'Item timeline' },
  { key: 'webhooks', label: 'Webhooks' },
  { key: 'syncs', label: 'Syncs and jobs' },
  { key: 'link', label: 'Link sessions' },
  { key: 'notifications', label: 'Notifications' },
  { key: 'audit', label: 'Audit log' },
] as const;

export default async function SupportUserPage({ params, searchParams }: { params: Promise<{ userId: string }>; searchParams: Promise<{ tab?: string; item?: string }> }) {
  const userId = decodeURIComponent((await params).userId);
  const { tab: asked, item: askedItem } = await searchParams;
  const tab = TABS.find((t) => t.key === asked)?.key ?? 'overview';
  const me = await requireSupport(`/support/users/${encodeURIComponent(userId)}`);
  const api = await serverCaller();
  let d;
  try {
    const [user, items, accounts, webhooks, syncRuns, jobRuns, sessions, audit, notifications] = await Promise.all([
      api.support.users.byId({ userId }),
      api.support.items.list({ userId, limit: 50 }),
      api.support.accounts.list({ userId }),
      api.support.webhooks.forUser({ userId, limit: 50 }),
      api.support.syncRuns.list({ userId, limit: 30 }),
      api.support.jobRuns.list({ userId, limit: 30 }),
      api.support.linkSessions.list({ userId, limit: 20 }),
      api.support.audit.list({ subjectUserId: userId, limit: 50 }),
      api.support.notifications.list({ userId, limit: 50 }),
    ]);
    // The timeline of the chosen item (the newest one unless another is asked for).
    const timelineItem = items.find((i) => i.id === askedItem) ?? items[0];
    const timeline = tab === 'timeline' && timelineItem ? await api.support.timeline.forItem({ itemId: timelineItem.id }) : null;
    d = { user, items, accounts, webhooks, syncRuns, jobRuns, sessions, audit, notifications, timeline };
  } catch (err) {
    // An id that cannot exist (too long, malformed) is as unknown as one that does not.
    if (err instanceof TRPCError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST')) notFound();
    return (<><AppHeader user={me} /><main className="page"><p className="error" role="alert">{readableError(err)}</p></main></>);
  }
  const names = Object.fromEntries(d.items.map((i) => [i.id, i.institutionName ?? 'Bank']));
  return (
    <>
      <AppHeader user={me} />
      <main className="page wide">
        <SupportNav current="users" />
        <p><Link href="/support">← Search</Link></p>
        <h1>{d.user.email}</h1>
        <dl className="facts">
          <div><dt>Name</dt><dd>{d.user.name}</dd></div>
          <div><dt>User id</dt><dd><code>{d.user.id}</code></dd></div>
          <div><dt>Role</dt><dd>{humanize(d.user.role)}</dd></div>
          <div><dt>Status</dt><dd>{humanize(d.user.status)}</dd></div>
          <div><dt>Joined</dt><dd>{dateTime(d.user.createdAt)}</dd></div>
        </dl>
        <nav aria-label="About this user" className="tabs">
          {TABS.map((t) => (
            <Link key={t.key} href={`/support/users/${encodeURIComponent(d.user.id)}${t.key === 'overview' ? '' : `?tab=${t.key}`}`} aria-current={t.key === tab ? 'page' : undefined}>{t.label}</Link>
          ))}
        </nav>
        {tab === 'overview' && <>
        <ItemsSection items={d.items} accounts={d.accounts} canReset={env().plaidEnv !== 'production'} />
        <section className="card" aria-labelledby="floats-title">
          <h2 id="floats-title">Floats (cash advances)</h2>
          {d.user.floats.length === 0 ? <p className="muted">No floats.</p> : (
            <ul className="plain-list">
              {d.user.floats.map((f) => (
                <li key={f.id}>
                  {money(f.amount, f.currency)} · <strong>{f.status}</strong> · created {dateTime(f.createdAt)}
                  {f.settledAt && <> · settled {dateTime(f.settledAt)}</>}{' '}
                  {f.status === 'ACTIVE' && <SupportAction action="settleFloat" id={f.id} label="Settle float" question={`Settle the float of ${money(f.amount, f.currency)}?`} />}
                </li>
              ))}
            </ul>
          )}
          <CreateFloatForm userId={d.user.id} />
        </section>
        </>}
        {tab === 'timeline' && <>
          {d.items.length === 0 && <p className="muted">No bank connections yet.</p>}
          {d.items.length > 1 && (
            <nav aria-label="Bank connections" className="tabs">
              {d.items.map((i) => (
                <Link key={i.id} href={`/support/users/${encodeURIComponent(d.user.id)}?tab=timeline&item=${i.id}`} aria-current={i.id === d.timeline?.item.id ? 'page' : undefined}>
                  {i.institutionName ?? 'Bank'}{i.status === 'REMOVED' ? ' (removed)' : ''}
                </Link>
              ))}
            </nav>
          )}
          {d.timeline && <ItemTimeline timeline={d.timeline} titleId="timeline-title" />}
        </>}
        {tab === 'webhooks' && <WebhooksSection webhooks={d.webhooks} names={names} />}
        {tab === 'syncs' && <><SyncRunsSection runs={d.syncRuns} names={names} /><JobRunsSection runs={d.jobRuns} names={names} /></>}
        {tab === 'link' && <LinkSessionsSection sessions={d.sessions} />}
        {tab === 'notifications' && <NotificationsSection notifications={d.notifications} names={names} />}
        {tab === 'audit' && <AuditSection entries={d.audit} names={names} />}
      </main>
    </>
  );
}
