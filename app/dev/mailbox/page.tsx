import { notFound } from 'next/navigation';
import { env } from '../../../server/env';
import { embeddedInbox, usesEmbeddedSmtp } from '../../../server/notifications/app-notifier';

export const dynamic = 'force-dynamic';

/**
 * The embedded SMTP inbox, for developers (emulator mode without SMTP_URL only, as MailHog would
 * be): every email the app sent, newest first, with its HTML and plain-text parts.
 */
export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  if (env().plaidEnv !== 'emulator' || !usesEmbeddedSmtp()) notFound();
  const { id } = await searchParams;
  const messages = (await embeddedInbox()).messages().reverse();
  const open = messages.find((m) => String(m.id) === id) ?? messages[0];
  return (
    <main className="page mailbox">
      <h1>Mailbox <span className="muted">(embedded SMTP, emulator mode)</span></h1>
      {messages.length === 0 ? (
        <p className="muted">No emails yet. Emails the app sends while no SMTP_URL is set arrive here.</p>
      ) : (
        <div className="mailbox-grid">
          <ul className="mailbox-list" aria-label="Messages">
            {messages.map((m) => (
              <li key={m.id} aria-current={m.id === open?.id ? 'true' : undefined}>
                <a href={`/dev/mailbox?id=${m.id}`}>
                  <strong>{m.subject}</strong>
                  <span className="muted">To {m.envelopeTo.join(', ')} · {m.receivedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC</span>
                </a>
              </li>
            ))}
          </ul>
          {open && (
            <article className="card mailbox-message" aria-label="Message">
              <dl className="facts">
                <div><dt>From</dt><dd>{open.from}</dd></div>
                <div><dt>To</dt><dd>{open.to}</dd></div>
                <div><dt>Subject</dt><dd>{open.subject}</dd></div>
              </dl>
              <details className="mailbox-headers">
                <summary>Headers</summary>
                <dl className="facts" aria-label="Headers">
                  {Object.entries(open.headers).map(([name, value]) => (
                    <div key={name}><dt>{name}</dt><dd>{value}</dd></div>
                  ))}
                </dl>
              </details>
              <h2>HTML</h2>
              <iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" src={`/api/dev/mailbox/${open.id}`} className="mailbox-html" />
              <h2>Plain text</h2>
              <pre className="mailbox-text">{open.text}</pre>
            </article>
          )}
        </div>
      )}
    </main>
  );
}
