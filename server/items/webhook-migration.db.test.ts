import { InngestTestEngine } from '@inngest/test';
import { toyClient } from '@tributary/inngest-embedded/testing';
import { startWebhookReceiver, waitFor } from '@tributary/plaid-emulator/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidItems } from '../../db/schema';
import { createMigrateWebhooks } from '../../inngest/functions/migrate-webhooks';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { webhookHandler } from '../../test/support/webhook-handling';
import { testJobContext } from '../../test/support/job-context';
import { storeWebhook } from '../../test/support/webhook-fixtures';

let h: Harness;
let moved: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  h = await createHarness();
  moved = await startWebhookReceiver();
});
afterAll(async () => {
  await moved.close();
  await h.close();
});

/** The migration function as the process would run it, with the app now at `url`. */
async function migrate(url: string, requested = url) {
  const context = () => testJobContext({ db: h.db, deps: { ...h.deps, config: { ...h.deps.config, webhookUrl: url } }, log: silentLog });
  const t = new InngestTestEngine({ function: createMigrateWebhooks(toyClient('migrate'), context) });
  const { result, error } = await t.execute({ events: [{ name: 'items/webhook-migration.requested', data: { webhookUrl: requested } }] });
  if (error) throw error;
  return result as { moved: number; failed: number; stale: boolean };
}
const itemRow = async (id: string) => (await h.db.select().from(plaidItems).where(eq(plaidItems.id, id)))[0]!;

describe('webhook URL migration', () => {
  it('moves every live item to the current URL, and Plaid’s acknowledgement confirms it', async () => {
    const user = await h.createUser();
    const a = await h.linkBank(user);
    const b = await h.linkBank(await h.createUser(), { institutionId: 'ins_109509' });
    const revoked = await h.linkBank(await h.createUser());
    await h.db.update(plaidItems).set({ webhookUrl: null }).where(eq(plaidItems.id, b.item.id)); // linked before URLs were kept
    await h.db.update(plaidItems).set({ status: 'REVOKED' }).where(eq(plaidItems.id, revoked.item.id));
    expect((await itemRow(a.item.id)).webhookUrl).toBe(h.sink.url);

    const result = await migrate(moved.url);
    expect(result.moved).toBeGreaterThanOrEqual(2);
    expect(result.failed).toBe(0);
    for (const { item } of [a, b]) {
      const row = await itemRow(item.id);
      expect(row).toMatchObject({ webhookUrl: moved.url, webhookConfirmedAt: null });
      expect(h.emu.emulator.state.items[row.plaidItemId]!.webhook).toBe(moved.url);
    }
    const dead = await itemRow(revoked.item.id);
    expect(dead.webhookUrl).toBe(h.sink.url);
    expect(h.emu.emulator.state.items[dead.plaidItemId]!.webhook).toBe(h.sink.url);

    // Plaid answers at the new URL; handling that webhook confirms the move.
    const rowA = await itemRow(a.item.id);
    await waitFor(() => moved.received.some((r) => r.json.item_id === rowA.plaidItemId && r.json.webhook_code === 'WEBHOOK_UPDATE_ACKNOWLEDGED'), 10_000);
    const ack = moved.received.find((r) => r.json.item_id === rowA.plaidItemId && r.json.webhook_code === 'WEBHOOK_UPDATE_ACKNOWLEDGED')!;
    expect(ack.json.new_webhook_url).toBe(moved.url);
    const stored = await storeWebhook(h.db, rowA, ack.json as { webhook_type: string; webhook_code: string });
    await webhookHandler({ db: () => h.db, log: silentLog }).handle(stored.id);
    expect((await itemRow(a.item.id)).webhookConfirmedAt).toEqual(stored.receivedAt);

    // Nothing left to move.
    expect(await migrate(moved.url)).toMatchObject({ moved: 0, failed: 0 });
  });

  it('does nothing for a request naming another URL than the process’s own (an older deployment’s)', async () => {
    const { item } = await h.linkBank(await h.createUser());
    expect(await migrate(h.sink.url, 'http://127.0.0.1:9/old')).toMatchObject({ moved: 0, stale: true });
    expect((await itemRow(item.id)).webhookUrl).toBe(h.sink.url);
  });
});
