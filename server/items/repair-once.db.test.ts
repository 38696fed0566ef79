import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsEvents, plaidItems } from '../../db/schema';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { webhookHandler } from '../../test/support/webhook-handling';
import { loginRequired, storeWebhook } from '../../test/support/webhook-fixtures';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const { handle } = webhookHandler({ db: () => h.db, log: silentLog });
const repairedEvents = async (userId: string) =>
  (await h.db.select().from(analyticsEvents).where(eq(analyticsEvents.userId, userId))).filter((e) => e.event === 'Item Repaired');

/** A linked bank whose login expired: the ERROR webhook handled, the item in ERROR. */
async function brokenItem() {
  const user = await h.createUser();
  const { item } = await h.linkBank(user);
  const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
  const error = await storeWebhook(h.db, row!, loginRequired, { receivedAt: new Date(Date.now() - 60_000) });
  await handle(error.id);
  expect((await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id)))[0]!.status).toBe('ERROR');
  return { user, item: row!, api: h.caller(user) };
}

describe('exactly one "Item Repaired" per repair', () => {
  it('update mode in the app first, then Plaid\'s LOGIN_REPAIRED: one event', async () => {
    const { user, item, api } = await brokenItem();
    expect(await api.items.completeUpdate({ itemId: item.id })).toMatchObject({ repaired: true });
    const repaired = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' });
    expect(await handle(repaired.id)).toMatchObject({ state: 'IGNORED' });
    expect(await repairedEvents(user.id)).toHaveLength(1);
    expect((await repairedEvents(user.id))[0]!.properties).toMatchObject({ itemId: item.id, via: 'update-mode' });
  });

  it('LOGIN_REPAIRED first, then update mode completes in the app: one event', async () => {
    const { user, item, api } = await brokenItem();
    const repaired = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' });
    expect(await handle(repaired.id)).toMatchObject({ state: 'PROCESSED' });
    expect(await api.items.completeUpdate({ itemId: item.id })).toMatchObject({ repaired: false });
    expect(await repairedEvents(user.id)).toHaveLength(1);
    expect((await repairedEvents(user.id))[0]!.properties).toMatchObject({ itemId: item.id, via: 'webhook' });
  });

  it('both at once: one event', async () => {
    const { user, item, api } = await brokenItem();
    const repaired = await storeWebhook(h.db, item, { webhook_type: 'ITEM', webhook_code: 'LOGIN_REPAIRED' });
    await Promise.all([handle(repaired.id), api.items.completeUpdate({ itemId: item.id })]);
    expect(await repairedEvents(user.id)).toHaveLength(1);
  });

  it('an ERROR sent before an in-app repair but delivered after it is stale', async () => {
    const { item, api } = await brokenItem();
    const sentBefore = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await api.items.completeUpdate({ itemId: item.id });
    const late = await storeWebhook(h.db, item, loginRequired, { receivedAt: sentBefore });
    expect(await handle(late.id)).toMatchObject({ state: 'IGNORED', note: expect.stringContaining('stale') });
    expect((await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id)))[0]!.status).toBe('ACTIVE');
  });
});
