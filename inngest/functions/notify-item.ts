import { type Inngest, NonRetriableError } from 'inngest';
import { itemNewAccountsAvailable, itemStatusChanged } from '../../server/events';
import { processJobContext, type ResolveJobContext } from '../../server/jobs/context';
import { claimNotification, keepsReminding, resolveItemNotifications } from '../../server/notifications/claim';
import { deliverMessage } from '../../server/notifications/deliver';
import { type ItemStatusName, type NotificationKind, problemFor } from '../../server/notifications/kinds';
import { inngest } from '../client';

/** Waits between mails about one problem: the first at once, reminders after 3 and 7 days, then weekly. */
export const reminderGaps = ['3d', '4d', '7d'] as const;
const gapAfter = (round: number) => reminderGaps[Math.min(round, reminderGaps.length - 1)]!;

/**
 * Emails about one item, durable: a run per status change (`item/status.changed`) or new-accounts
 * event. A problem the person can fix mails at once (after a short wait, so banks breaking
 * together share one digest), then reminds on schedule up to the cap; any later status change of
 * the item (repair, removal, another problem with its own run) ends the run, and every send first
 * re-checks the item and the person's preferences (claim.ts). A repair after a problem we mailed
 * about sends "connected again". SMTP failures are retried with backoff by this function's retries.
 */
export function createNotifyItem(client: Inngest.Any, context: ResolveJobContext = processJobContext, opts: { digestWindowSeconds?: number; maxReminders?: number } = {}) {
  return client.createFunction(
    { id: 'notify-item', retries: 6, triggers: [itemStatusChanged, itemNewAccountsAvailable] },
    async ({ event, step }) => {
      const { itemId, userId, at } = event.data;

      /** One notification: decide (memoized), then send its email (retried on its own). */
      const notify = async (kind: NotificationKind, problemKey: string, round: number) => {
        const claim = await step.run(`claim-${round}`, async () => {
          const n = await context().notifier();
          return claimNotification(context().db, { userId, itemId, kind, problemKey, round, now: n.now() });
        });
        if (!claim.send) return claim;
        const sent = await step.run(`send-${round}`, async () => {
          const result = await deliverMessage(context().db, await context().notifier(), claim.messageKey);
          if (result.status === 'bounced') throw new NonRetriableError(`The mail server refused the email for good: ${result.error}`);
          return result;
        });
        return { send: true as const, ...sent };
      };

      if (event.name === itemNewAccountsAvailable.name) {
        return { newAccounts: await notify('new_accounts', `new_accounts:${at}`, 0) };
      }
      const { from, to, reason } = event.data as { from: string; to: string; reason: string | null };
      if (to === 'ACTIVE' || to === 'REMOVED') {
        // Problems mailed about earlier are over; a repair of one of them is worth a "connected again".
        const reconnected = to === 'ACTIVE' && from !== 'ACTIVE' ? await notify('reconnected', `reconnected:${at}`, 0) : null;
        await step.run('resolve-earlier', async () => resolveItemNotifications(context().db, { itemId, now: new Date(at) }));
        return { reconnected };
      }
      const kind = problemFor(to as ItemStatusName, reason);
      if (!kind) return { skipped: 'nothing the person can do' };
      const problemKey = `${to}:${reason ?? '-'}:${at}`;
      const window = opts.digestWindowSeconds ?? (await step.run('settings', async () => (await context().notifier()).digestWindowSeconds));
      if (window > 0) await step.sleep('gather-digest', `${window}s`);
      const cap = opts.maxReminders ?? (await step.run('reminder-cap', async () => (await context().notifier()).maxReminders));
      const outcomes: unknown[] = [];
      for (let round = 0; round <= cap; round++) {
        const outcome = await notify(kind, problemKey, round);
        outcomes.push(outcome);
        if (!keepsReminding(outcome)) break;
        if (round === cap) break;
        const changed = await step.waitForEvent(`wait-fix-${round}`, { event: itemStatusChanged, match: 'data.itemId', timeout: gapAfter(round) });
        if (changed) break;
      }
      return { kind, outcomes };
    },
  );
}

export const notifyItem = createNotifyItem(inngest);
