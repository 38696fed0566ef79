import { authSecret } from '../auth/secret';
import { env } from '../env';
import { logger } from '../logger';
import { processContainer } from '../process/container';
import type { Notifier } from './deliver';
import { createMailer, type Mailer } from './mailer';
import { type SmtpInbox, startSmtpInbox } from './smtp-inbox';

/** True when the app runs its own SMTP inbox: no SMTP_URL configured (never in production, env.ts). */
export function usesEmbeddedSmtp(): boolean {
  return !env().SMTP_URL;
}

/** The embedded SMTP inbox (started once, on 127.0.0.1), for the mailbox page and the mailer. */
export function embeddedInbox(): Promise<SmtpInbox> {
  const c = processContainer();
  c.smtpInbox ??= startSmtpInbox({ port: env().EMBEDDED_SMTP_PORT }).then(
    (inbox) => {
      logger().info({ smtp: inbox.url }, 'embedded SMTP inbox started (mailbox at /dev/mailbox)');
      return inbox;
    },
    (err: unknown) => {
      c.smtpInbox = undefined;
      throw err;
    },
  );
  return c.smtpInbox;
}

/** The process's mailer: SMTP_URL's server, or the embedded inbox. */
export async function processMailer(): Promise<Mailer> {
  const c = processContainer();
  c.mailer ??= (async () => {
    const e = env();
    const url = e.SMTP_URL ?? (await embeddedInbox()).url;
    return createMailer(url, e.MAIL_FROM);
  })().catch((err: unknown) => {
    c.mailer = undefined;
    throw err;
  });
  return c.mailer;
}

/** What the notification function sends with: SMTP_URL's server, or the embedded inbox. */
export async function processNotifier(): Promise<Notifier> {
  const e = env();
  return {
    mailer: await processMailer(),
    appUrl: e.appUrl,
    secret: authSecret(e),
    linkTtlHours: e.NOTIFY_LINK_TTL_HOURS,
    maxReminders: e.NOTIFY_MAX_REMINDERS,
    digestWindowSeconds: e.NOTIFY_DIGEST_WINDOW_SECONDS,
    now: () => new Date(),
  };
}

/** Closes the mailer and the embedded inbox (shutdown, tests). */
export async function closeMail(): Promise<void> {
  const c = processContainer();
  const [mailer, inbox] = [c.mailer, c.smtpInbox];
  c.mailer = undefined;
  c.smtpInbox = undefined;
  if (mailer) (await mailer.catch(() => null))?.close();
  if (inbox) await (await inbox.catch(() => null))?.close();
}
