import { accountKindLabel } from '../../../../_components/account-kind';
import { dateTime, money } from '../../../../_components/format';
import { StatusBadge } from '../../../../_components/status-badge';
import { WebhookView } from '../../../_components/webhook-view';
import { auditAction, auditActor } from '../../../_components/audit-words';
import type { RouterOutputs } from '../../../../_trpc/types';
import { SupportAction } from './support-action';

type S = RouterOutputs['support'];
const Empty = ({ what }: { what: string }) => <p className="muted">No {what} yet.</p>;

export function ItemsSection({ items, accounts, canReset }: { items: S['items']['list']; accounts: S['accounts']['list']; canReset: boolean }) {
  return (
    <section className="card" aria-labelledby="items-title">
      <h2 id="items-title">Bank connections</h2>
      {items.length === 0 && <Empty what="bank connections" />}
      {items.map((item) => {
        const bank = item.institutionName ?? 'Bank';
        const live = item.status !== 'REMOVED';
        return (
          <article key={item.id} className={`support-item${live ? '' : ' faded'}`} aria-label={bank}>
            <h3>{bank} <StatusBadge status={item.status} /></h3>
            <p className="muted">
              item <code>{item.id}</code> · Plaid <code>{item.plaidItemId}</code> · linked {dateTime(item.createdAt)} · last webhook {dateTime(item.lastWebhookAt)}
              {item.errorCode && <> · error <code>{item.errorCode}</code> {item.errorMessage}</>}
            </p>
            <ul className="plain-list">
              {accounts.filter((a) => a.itemId === item.id).map((a) => (
                <li key={a.id}>
                  {a.name} ••{a.mask} · {accountKindLabel(a.type, a.subtype)} · available {money(a.availableBalance, a.isoCurrencyCode)} · current {money(a.currentBalance, a.isoCurrencyCode)}
                  {a.isMain && <span className="badge badge-main">Main</span>}{a.removedAt && <span className="badge">Closed</span>}
                </li>
              ))}
            </ul>
            <div className="actions">
              <SupportAction action="republish" id={item.id} label="Re-publish to streams" question={`Re-publish everything we hold for ${bank} to the data streams?`} />
            </div>
            {live && (
              <div className="actions">
                <SupportAction action="remine" id={item.id} label="Re-mine" question={`Re-mine all data of ${bank}?`} />
                {canReset && <SupportAction action="resetLogin" id={item.id} label="Reset login" question={`Reset the login of ${bank} (sandbox)?`} />}
                <SupportAction action="forceRemove" id={item.id} label="Force remove" question={`Force-remove ${bank}, even with an active float?`} danger />
              </div>
            )}
          </article>
        );
      })}
    </section>
  );
}

export function WebhooksSection({ webhooks, names }: { webhooks: S['webhooks']['forUser']; names: Record<string, string> }) {
  return (
    <section className="card" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhook timeline</h2>
      {webhooks.length === 0 ? <Empty what="webhooks" /> : (
        <ol className="timeline">
          {webhooks.map((w) => <li key={w.id}><WebhookView w={w} bank={names[w.itemId ?? ''] ?? 'Unknown item'} /></li>)}
        </ol>
      )}
    </section>
  );
}


export function SyncRunsSection({ runs, names }: { runs: S['syncRuns']['list']; names: Record<string, string> }) {
  return (
    <section className="card" aria-labelledby="syncruns-title">
      <h2 id="syncruns-title">Sync runs</h2>
      {runs.length === 0 ? <Empty what="sync runs" /> : (
        <table className="table">
          <thead><tr><th scope="col">Started</th><th scope="col">Bank</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Pages · added/modified/removed</th><th scope="col">Error</th></tr></thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td data-label="Started">{dateTime(r.startedAt ?? r.createdAt)}</td><td data-label="Bank">{names[r.itemId] ?? r.itemId}</td><td data-label="Kind">{r.kind} ({r.trigger ?? '—'})</td>
                <td data-label="Status">{r.status}</td><td data-label="Pages · added/modified/removed">{r.pages} · {r.added}/{r.modified}/{r.removed}</td>
                <td data-label="Error">{r.errorCode ? <span className="bad"><code>{r.errorCode}</code> {r.errorMessage}</span> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function JobRunsSection({ runs, names }: { runs: S['jobRuns']['list']; names: Record<string, string> }) {
  return (
    <section className="card" aria-labelledby="jobruns-title">
      <h2 id="jobruns-title">Job runs</h2>
      {runs.length === 0 ? <Empty what="job runs" /> : (
        <table className="table">
          <thead><tr><th scope="col">Created</th><th scope="col">Function</th><th scope="col">Bank</th><th scope="col">Status</th><th scope="col">Attempt</th><th scope="col">Errors</th></tr></thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td data-label="Created">{dateTime(r.createdAt)}</td><td data-label="Function"><code>{r.functionId}</code><br /><span className="muted">{r.eventName}</span></td>
                <td data-label="Bank">{names[r.itemId ?? ''] ?? '—'}</td><td data-label="Status">{r.status}</td><td data-label="Attempt">{r.attempt}/{r.maxAttempts}</td>
                <td data-label="Errors">
                  {r.error && <span className="bad">{r.error.name}: {r.error.message}</span>}
                  {r.attemptErrors.map((e) => <div key={`${e.attempt}-${e.at}`} className="muted">#{e.attempt} {e.step ?? ''}: {e.error.message}</div>)}
                  {!r.error && r.attemptErrors.length === 0 && '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const sessionOutcomeWords: Record<string, string> = {
  success: 'Linked',
  exited: 'Closed by the person',
  error: 'Ended with an error',
  abandoned: 'Abandoned (nothing heard for 30 minutes)',
};

export function LinkSessionsSection({ sessions }: { sessions: S['linkSessions']['list'] }) {
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Link sessions</h2>
      {sessions.length === 0 ? <Empty what="Link sessions" /> : (
        <ul className="plain-list">
          {sessions.map((s) => (
            <li key={s.linkSessionId}>
              <strong>{sessionOutcomeWords[s.outcome ?? ''] ?? 'In progress'}</strong> · {dateTime(s.startedAt)} · <code>{s.linkSessionId}</code> · {s.institutionId ?? 'no bank chosen'}
              {s.errorCode && <> · error <code>{s.errorCode}</code></>}{s.exitStatus && <> · exit status {s.exitStatus}</>}
              <div className="muted">{s.events.map((e) => e.name + (e.viewName ? `(${e.viewName})` : '')).join(' → ')}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const deliveryWords = { pending: 'waiting to send', sent: 'sent', failed: 'failed, will retry', bounced: 'bounced', skipped: 'not sent' } as const;

/** Delivery records of the person's notification emails (server/notifications). */
export function NotificationsSection({ notifications, names }: { notifications: S['notifications']['list']; names: Record<string, string> }) {
  return (
    <section className="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      {notifications.length === 0 ? <Empty what="notification emails" /> : (
        <div className="table-scroll">
        <table className="table">
          <thead><tr><th scope="col">When</th><th scope="col">Bank</th><th scope="col">Kind</th><th scope="col">Delivery</th><th scope="col">Opened</th><th scope="col">Resolved</th></tr></thead>
          <tbody>
            {notifications.map((n) => (
              <tr key={n.id}>
                <td>{dateTime(n.sentAt ?? n.createdAt)}</td>
                <td>{n.itemId ? (names[n.itemId] ?? 'Bank') : '—'}</td>
                <td>{n.kind.replaceAll('_', ' ')}{n.round > 0 ? ` (reminder ${n.round})` : ''}<div className="muted">{n.subject}</div></td>
                <td>{deliveryWords[n.status]}{n.attempts > 1 ? ` after ${n.attempts} attempts` : ''}{n.problem && <div className="muted">{n.problem}</div>}{n.smtpMessageId && <div className="muted"><code>{n.smtpMessageId}</code></div>}</td>
                <td>{n.openedAt ? dateTime(n.openedAt) : 'no'}</td>
                <td>{n.resolvedAt ? dateTime(n.resolvedAt) : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </section>
  );
}

export function AuditSection({ entries, names }: { entries: S['audit']['list']; names: Record<string, string> }) {
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {entries.length === 0 ? <Empty what="audited actions" /> : (
        <table className="table">
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Bank</th><th scope="col">Reason</th></tr></thead>
          <tbody>
            {entries.map((a) => (
              <tr key={a.id}>
                <td data-label="When">{dateTime(a.createdAt)}</td><td data-label="Who">{auditActor(a)}</td><td data-label="Action">{auditAction(a.action)}</td>
                <td data-label="Bank">{a.itemId ? names[a.itemId] ?? a.itemId : '—'}</td><td data-label="Reason">{a.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
