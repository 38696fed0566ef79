import type { Runner } from '@tributary/inngest-embedded';
import { startRunner, toyClient } from '@tributary/inngest-embedded/testing';
import { waitFor } from '@tributary/plaid-emulator/testing';
import { createHandlePlaidWebhook } from '../../inngest/functions/handle-plaid-webhook';
import { createKeyCache, type PlaidWebhookKey } from '../../server/plaid/webhook-verify';
import { receivePlaidWebhook } from '../../server/webhooks/receive';
import type { Harness } from './harness';
import { silentLog } from './harness';
import { testJobContext } from './job-context';

/**
 * Webhooks the emulator really sent, fed through the app's real receiver (JWT verified, stored,
 * deduped) and handled by the real `handle-plaid-webhook` function on the embedded runner, with
 * the harness's database and Plaid. `deliver` takes the next not yet delivered webhook with that
 * code (and type) for the item, and returns the stored webhook's id once the runner is idle.
 */
export async function startWebhookFlow(h: Harness, name = 'hooks') {
  const client = toyClient(name);
  const context = () => testJobContext({ db: h.db, deps: h.deps, log: silentLog });
  // What the function sends on (status changes, sync requests, new accounts), as the runner delivered it.
  const events: { name: string; data: Record<string, unknown> }[] = [];
  const probe = (event: string) =>
    client.createFunction({ id: `probe-${event.replace(/\W/g, '-')}`, triggers: [{ event }] }, async ({ event: e }) => {
      events.push({ name: e.name, data: e.data as Record<string, unknown> });
    });
  const probes = ['item/status.changed', 'item/sync.requested'].map(probe);
  const runner: Runner = await startRunner(h.db, client, [createHandlePlaidWebhook(client, context), ...probes]);
  const getKey = createKeyCache(async (kid) => (await h.emu.plaid.webhookVerificationKeyGet({ key_id: kid })).data.key as unknown as PlaidWebhookKey);
  const used = new Set<number>();

  async function deliver(plaidItemId: string, code: string, type?: string): Promise<string> {
    const index = () =>
      h.sink.received.findIndex(
        (r, i) => !used.has(i) && r.json.item_id === plaidItemId && r.json.webhook_code === code && (!type || r.json.webhook_type === type),
      );
    await waitFor(() => index() >= 0, 10_000);
    const i = index();
    used.add(i);
    const delivered = h.sink.received[i]!;
    const received = await receivePlaidWebhook(
      { db: h.db, getKey, send: async (events) => void (await client.send(events)), log: silentLog },
      { rawBody: Buffer.from(delivered.body), headers: new Headers({ 'plaid-verification': String(delivered.headers['plaid-verification']) }) },
    );
    if (received.status !== 200 || !received.body.id) throw new Error(`receiver answered ${received.status}`);
    await received.handedOff;
    await runner.waitForIdle();
    return received.body.id;
  }

  /** A webhook already stored (test/support/webhook-fixtures.ts) handed to the function as the receiver would. */
  async function handleStored(webhookId: string): Promise<void> {
    await client.send({ name: 'plaid/webhook.received', data: { webhookId } });
    await runner.waitForIdle();
  }

  return { deliver, handleStored, events, runner, stop: () => runner.stop({ graceMs: 0 }) };
}
