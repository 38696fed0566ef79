import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { notificationPreferences, notifications, plaidItems } from '../../db/schema';
import { appEvent, itemNewAccountsAvailable, itemStatusChanged } from '../../server/events';
import type { Notifier } from '../../server/notifications/deliver';
import { openButtonLink } from '../../server/notifications/links';
import { createMailer, type Mailer } from '../../server/notifications/mailer';
import { type ReceivedMail, type SmtpInbox, startSmtpInbox } from '../../server/notifications/smtp-inbox';
import { createTestDb } from '../../test/support/db';
import { testJobContext } from '../../test/support/job-context';
import { quietLog } from '../../test/support/quiet-log';
import { createItem } from '../../test/support/webhook-fixtures';
import type { Runner } from '@tributary/inngest-embedded';
import { sleep, startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import { userNotifications } from '../../server/notifications/support-notifications';
import { createNotifyItem } from './notify-item';

const DAY = 86_400_000;
const secret = randomBytes(32).toString('base64url');
let offset = 0;
const clock = () => Date.now() + offset;
let h: DbHandle;
let inbox: SmtpInbox;
let runner: Runner;
/** The mailer the function sends with; a test may wrap it to fail. */
let mailer: Mailer;
let realMailer: Mailer;
/** Recipients whose mail the SMTP server answers with this code (4xx: try later, 5xx: refused). */
const refuse = new Map<string, { code: number; times: number }>();

const notifier = async (): Promise<Notifier> => ({
  mailer,
  appUrl: 'http://127.0.0.1:3999',
  secret,
  linkTtlHours: 72,
  maxReminders: 3,
  digestWindowSeconds: 1,
  now: () => new Date(clock()),
});
const client = toyClient('notify');
const fn = createNotifyItem(client, () => testJobContext({ db: h.db, log: quietLog, notifier }), { digestWindowSeconds: 1, maxReminders: 3 });

beforeAll(async () => {
  h = await createTestDb();
  inbox = await startSmtpInbox({
    reject: (to) => {
      const r = refuse.get(to[0]!);
      if (!r || r.times === 0) return null;
      r.times--;
      return { code: r.code, message: r.code >= 500 ? 'No such mailbox' : 'Try again later' };
    },
  });
  realMailer = createMailer(inbox.url, 'Tributary <notifications@tributary.test>');
  mailer = realMailer;
  runner = await startRunner(h.db, client, [fn], { clock });
});
afterEach(() => {
  mailer = realMailer;
});
afterAll(async () => {
  await runner.stop({ graceMs: 0 });
  realMailer.close();
  await inbox.close();
  await h.close();
});

const mailTo = (email: string) => inbox.messages().filter((m) => m.envelopeTo.includes(email));
const emailOf = (userId: string) => `${userId}@example.com`;
const buttonIn = (mail: ReceivedMail) => /http:\/\/127\.0\.0\.1:3999\/n\/[\w.-]+/.exec(mail.text ?? '')![0];

async function breakItem(item: { id: string; userId: string }, code = 'ITEM_LOGIN_REQUIRED', at = new Date(clock())) {
  await h.db.update(plaidItems).set({ status: 'ERROR', errorCode: code, erroredAt: at }).where(eq(plaidItems.id, item.id));
  return runner.send(appEvent(itemStatusChanged, { itemId: item.id, userId: item.userId, from: 'ACTIVE', to: 'ERROR', reason: code, at: at.toISOString() }));
}
async function repairItem(item: { id: string; userId: string }) {
  await h.db.update(plaidItems).set({ status: 'ACTIVE', errorCode: null }).where(eq(plaidItems.id, item.id));
  return runner.send(appEvent(itemStatusChanged, { itemId: item.id, userId: item.userId, from: 'ERROR', to: 'ACTIVE', reason: null, at: new Date(clock()).toISOString() }));
}
/** Lets the runs finish what is due now (a mail arrives before its row says sent). */
async function settle() {
  await sleep(300);
  await runner.waitForIdle({ timeoutMs: 20_000 });
}
/** Moves the runner's and the notifier's time forward and lets what fell due run. */
async function advance(ms: number) {
  offset += ms;
  await sleep(500);
  await runner.waitForIdle({ timeoutMs: 20_000 });
}
const rowsOf = (itemId: string) => h.db.select().from(notifications).where(eq(notifications.itemId, itemId)).orderBy(notifications.round);

describe('notify-item: email when a bank needs its owner, over real SMTP', () => {
  it('mails once with HTML and text, unsubscribe headers and a single-use button into update mode', async () => {
    const item = await createItem(h.db);
    const { runIds } = await breakItem(item);
    const mail = await inbox.waitFor((m) => m.envelopeTo.includes(emailOf(item.userId)));
    await settle();
    expect(mail.subject).toBe('Reconnect First Platypus Bank to keep your account up to date');
    expect(mail.html).toContain('First Platypus Bank needs you to sign in again');
    expect(mail.html).toContain('Reconnect');
    expect(mail.text).toContain("we can't fetch new transactions or balances from First Platypus Bank");
    expect(mail.text).toContain("You're getting this because you connected First Platypus Bank");
    expect(mail.headers['list-unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:3999\/api\/notifications\/unsubscribe\?token=/);
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).not.toMatch(/access|token=ey.*session/i);

    const [row] = await rowsOf(item.id);
    expect(row).toMatchObject({ kind: 'login_required', status: 'sent', round: 0, attempts: 1, smtpMessageId: mail.messageId, openedAt: null });

    const token = buttonIn(mail).split('/n/')[1]!;
    const stranger = await createItem(h.db);
    expect(await openButtonLink(h.db, { secret, token, userId: stranger.userId, now: new Date(clock()) })).toEqual({ ok: false, problem: 'other_user' });
    expect(await openButtonLink(h.db, { secret, token, userId: item.userId, now: new Date(clock()) })).toEqual({ ok: true, itemId: item.id, purpose: 'update_mode' });
    expect(await openButtonLink(h.db, { secret, token, userId: item.userId, now: new Date(clock()) })).toEqual({ ok: false, problem: 'used' });
    expect(await openButtonLink(h.db, { secret, token: `${token}x`, userId: item.userId, now: new Date(clock()) })).toEqual({ ok: false, problem: 'invalid' });
    expect((await rowsOf(item.id))[0]!.openedAt).toBeInstanceOf(Date);
    expect(mailTo(emailOf(item.userId))).toHaveLength(1);

    await repairItem(item);
    await runner.waitForRun(runIds[0]!);
  });

  it('an old button explains it expired', async () => {
    const item = await createItem(h.db);
    await breakItem(item, 'ITEM_LOCKED');
    const mail = await inbox.waitFor((m) => m.envelopeTo.includes(emailOf(item.userId)));
    const token = buttonIn(mail).split('/n/')[1]!;
    expect(await openButtonLink(h.db, { secret, token, userId: item.userId, now: new Date(clock() + 73 * 3_600_000) })).toEqual({ ok: false, problem: 'expired' });
    await repairItem(item);
  });

  it('reminds after 3 and 7 days, then weekly to the cap; a repair stops it and sends "connected again"', async () => {
    const item = await createItem(h.db);
    const { runIds } = await breakItem(item);
    await inbox.waitFor((m) => m.envelopeTo.includes(emailOf(item.userId)));
    await settle();
    await advance(2 * DAY);
    expect(mailTo(emailOf(item.userId))).toHaveLength(1);
    await advance(1 * DAY + 60_000);
    expect(mailTo(emailOf(item.userId))).toHaveLength(2);
    await advance(4 * DAY + 60_000);
    expect(mailTo(emailOf(item.userId))).toHaveLength(3);
    expect((await rowsOf(item.id)).map((r) => [r.round, r.status])).toEqual([[0, 'sent'], [1, 'sent'], [2, 'sent']]);

    await repairItem(item);
    const back = await inbox.waitFor((m) => m.envelopeTo.includes(emailOf(item.userId)) && m.subject === 'First Platypus Bank is connected again');
    expect(back.text).toContain('Thanks for fixing the connection');
    expect((await runner.waitForRun(runIds[0]!)).status).toBe('COMPLETED');
    await advance(8 * DAY);
    expect(mailTo(emailOf(item.userId))).toHaveLength(4);
    expect((await rowsOf(item.id)).filter((r) => r.kind === 'login_required').every((r) => r.resolvedAt instanceof Date)).toBe(true);
  });

  it('stops at the cap', async () => {
    const item = await createItem(h.db);
    const { runIds } = await breakItem(item);
    await inbox.waitFor((m) => m.envelopeTo.includes(emailOf(item.userId)));
    await settle();
    for (const gap of [3, 4, 7, 7]) await advance(gap * DAY + 60_000);
    expect((await runner.waitForRun(runIds[0]!)).status).toBe('COMPLETED');
    expect(mailTo(emailOf(item.userId))).toHaveLength(4); // the first and 3 reminders
    await repairItem(item);
  });

  it('a revoked bank linked again gets no more "link again" reminders', async () => {
    const item = await createItem(h.db);
    const at = new Date(clock());
    await h.db.update(plaidItems).set({ status: 'REVOKED', errorCode: 'USER_PERMISSION_REVOKED', erroredAt: at }).where(eq(plaidItems.id, item.id));
    const { runIds } = await runner.send(appEvent(itemStatusChanged, { itemId: item.id, userId: item.userId, from: 'ACTIVE', to: 'REVOKED', reason: 'USER_PERMISSION_REVOKED', at: at.toISOString() }));
    const first = await inbox.waitFor((m) => m.envelopeTo.includes(emailOf(item.userId)));
    expect(first.text).toContain('link it again');
    await settle();
    // The person links the same bank again: a new live item replaces the revoked one.
    await createItem(h.db, { userId: item.userId, institutionId: item.institutionId });
    await advance(3 * DAY + 60_000);
    expect((await runner.waitForRun(runIds[0]!)).status).toBe('COMPLETED');
    expect(mailTo(emailOf(item.userId))).toHaveLength(1);
    expect((await rowsOf(item.id)).map((r) => [r.round, r.status])).toEqual([[0, 'sent']]);
  });

  it('an unsubscribe stops the reminders and the "connected again" mail', async () => {
    const item = await createItem(h.db);
    const { runIds } = await breakItem(item);
    await inbox.waitFor((m) => m.envelopeTo.includes(emailOf(item.userId)));
    await settle();
    await h.db.insert(notificationPreferences).values({ userId: item.userId, itemAlertsEmail: false, unsubscribedAt: new Date() });
    await advance(3 * DAY + 60_000);
    expect((await runner.waitForRun(runIds[0]!)).status).toBe('COMPLETED');
    expect(mailTo(emailOf(item.userId))).toHaveLength(1);
    await repairItem(item);
    await runner.waitForIdle();
    expect(mailTo(emailOf(item.userId))).toHaveLength(1);
  });

  it('banks that break together go out in one digest, and their reminders too', async () => {
    const a = await createItem(h.db);
    const b = await createItem(h.db, { userId: a.userId, institutionName: 'Tartan Bank' });
    await breakItem(a);
    await h.db.update(plaidItems).set({ status: 'PENDING_DISCONNECT', errorCode: null, consentExpiresAt: new Date('2027-01-15T00:00:00Z') }).where(eq(plaidItems.id, b.id));
    await runner.send(appEvent(itemStatusChanged, { itemId: b.id, userId: b.userId, from: 'ACTIVE', to: 'PENDING_DISCONNECT', reason: 'PENDING_EXPIRATION', at: new Date(clock()).toISOString() }));
    await sleep(1500);
    await runner.waitForIdle();
    const mails = mailTo(emailOf(a.userId));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('2 of your banks need attention');
    expect(mails[0]!.text).toContain('Your consent for Tartan Bank ends on January 15, 2027');
    expect(mails[0]!.text).toContain('First Platypus Bank needs you to sign in again');
    await advance(3 * DAY + 60_000);
    expect(mailTo(emailOf(a.userId))).toHaveLength(2);
    const rows = [...(await rowsOf(a.id)), ...(await rowsOf(b.id))];
    expect(new Set(rows.filter((r) => r.round === 1).map((r) => r.messageKey)).size).toBe(1);
    await repairItem(a);
    await repairItem(b);
  });

  it('never two mails for one problem on one day, and none for a bank that is only down', async () => {
    const item = await createItem(h.db);
    await breakItem(item);
    await breakItem(item, 'ITEM_LOGIN_REQUIRED', new Date(clock() + 1000));
    await sleep(1500);
    await runner.waitForIdle();
    expect(mailTo(emailOf(item.userId))).toHaveLength(1);
    const down = await createItem(h.db);
    await breakItem(down, 'INSTITUTION_DOWN');
    await runner.waitForIdle();
    expect(mailTo(emailOf(down.userId))).toHaveLength(0);
    await repairItem(item);
  });

  it('a crash between render and send, and a temporary SMTP refusal, still send once; a permanent refusal is a bounce', async () => {
    const item = await createItem(h.db);
    let crashes = 1;
    mailer = { send: async (m) => { if (m.to === emailOf(item.userId) && crashes-- > 0) throw new Error('process died after rendering'); return realMailer.send(m); }, close: () => {} };
    refuse.set(emailOf(item.userId), { code: 451, times: 1 });
    await breakItem(item);
    await inbox.waitFor((m) => m.envelopeTo.includes(emailOf(item.userId)), 20_000);
    await settle();
    expect(mailTo(emailOf(item.userId))).toHaveLength(1);
    const [row] = await rowsOf(item.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });

    const gone = await createItem(h.db);
    refuse.set(emailOf(gone.userId), { code: 550, times: 10 });
    const { runIds } = await breakItem(gone);
    const run = await runner.waitForRun(runIds[0]!);
    expect(run.status).toBe('FAILED');
    expect((await rowsOf(gone.id))[0]).toMatchObject({ status: 'bounced', attempts: 1, lastError: expect.stringContaining('No such mailbox') });
    // Support reads why in words; the SMTP server's own answer stays in the table.
    const [seen] = await userNotifications(h.db, { userId: gone.userId, limit: 5 });
    expect(seen).toMatchObject({ status: 'bounced', problem: 'The person’s mail server says this address does not exist. Ask them to check the email address on their account.' });
    // Ids and timestamps are left out: a random uuid or a ".550Z" millisecond would read as the SMTP code.
    const words = Object.entries(seen!).filter(([, v]) => typeof v === 'string' && !/^[0-9a-f-]{36}$|^\d{4}-\d\d-\d\dT/.test(v));
    expect(words.map(([k]) => k)).toEqual(expect.arrayContaining(['subject', 'problem']));
    expect(JSON.stringify(words)).not.toMatch(/550|No such mailbox/);
    expect(seen).not.toHaveProperty('lastError');
    await repairItem(item);
  });

  it('new accounts at a bank: one mail with an "add accounts" button', async () => {
    const item = await createItem(h.db, { newAccountsAvailable: true });
    await runner.send(appEvent(itemNewAccountsAvailable, { itemId: item.id, userId: item.userId, at: new Date().toISOString() }));
    const mail = await inbox.waitFor((m) => m.envelopeTo.includes(emailOf(item.userId)));
    expect(mail.subject).toBe('First Platypus Bank has new accounts you can share');
    expect(mail.text).toMatch(/Choose accounts http:\/\/127\.0\.0\.1:3999\/n\//);
  });
});
