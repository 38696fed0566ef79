import { InngestTestEngine } from '@inngest/test';
import { quietLog } from '@tributary/inngest-embedded/testing';
import { Inngest } from 'inngest';
import type { Db } from '../../db/client';
import { createHandlePlaidWebhook } from '../../inngest/functions/handle-plaid-webhook';
import type { AnalyticsSink } from '../../server/analytics/track';
import type { AppEvent } from '../../server/events';
import type { Logger } from '../../server/logger';
import { testJobContext } from './job-context';

export interface HandledWebhook {
  webhookId: string;
  state: string;
  note: string | null;
  alreadyHandled: boolean;
}

/**
 * Handles stored webhooks with the app's real `handle-plaid-webhook` function, its steps run
 * in-process by @inngest/test (no runner): the database step, analytics, and the sync request,
 * which really goes out through the client's event API — answered here, and recorded in `sent`.
 */
export function webhookHandler(o: { db: () => Db; log: Logger; analytics?: AnalyticsSink }) {
  const sent: AppEvent[] = [];
  const eventApi: typeof fetch = async (_input, init) => {
    const events = JSON.parse(String(init?.body ?? '[]')) as AppEvent[];
    sent.push(...events.map(({ name, data, id }) => ({ name, data, ...(id ? { id } : {}) }) as AppEvent));
    return Response.json({ ids: events.map((e, i) => e.id ?? `event-${sent.length}-${i}`), status: 200 });
  };
  const client = new Inngest({ id: 'webhook-handling', isDev: true, fetch: eventApi, logger: quietLog });
  const context = () => testJobContext({ db: o.db(), log: o.log, analytics: o.analytics ?? { kind: 'table' } });
  const fn = createHandlePlaidWebhook(client, context);
  async function handle(webhookId: string): Promise<HandledWebhook> {
    const t = new InngestTestEngine({ function: fn });
    const { result, error } = await t.execute({ events: [{ name: 'plaid/webhook.received', data: { webhookId } }] });
    if (error) throw error;
    return result as HandledWebhook;
  }
  return { handle, sent };
}
