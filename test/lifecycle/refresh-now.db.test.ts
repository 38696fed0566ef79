import { setItemError } from '@tributary/plaid-emulator/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidApiCalls, plaidItems } from '../../db/schema';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const refreshCalls = async (itemId: string) =>
  (await h.db.select().from(plaidApiCalls).where(and(eq(plaidApiCalls.itemId, itemId), eq(plaidApiCalls.endpoint, '/transactions/refresh')))).length;

describe('items.refresh (refresh now)', () => {
  it('asks Plaid once per item per window, however many requests race, and refreshes balances', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const before = h.sent.length;
    // Two requests at once (two tabs, or two app instances on one database): one goes to Plaid.
    const results = await Promise.allSettled([h.caller(user).items.refresh({ itemId: item.id }), h.caller(user).items.refresh({ itemId: item.id })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(String(refused.reason.cause.displayMessage)).toMatch(/^We asked your bank for news a moment ago\. You can ask again in [1-5] minutes?\.$/);
    expect(await refreshCalls(item.id)).toBe(1);
    expect(h.sent.slice(before).filter((e) => e.name === 'item/accounts.refresh-requested').map((e) => e.data)).toEqual([{ itemId: item.id }]);
  });

  it('gives the turn back when Plaid refuses, and refuses an item that needs the person first', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    await setItemError(h.emu.url, { item_id: row!.plaidItemId }, 'INSTITUTION_DOWN', { webhook: false });
    await expect(h.caller(user).items.refresh({ itemId: item.id })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    const [after] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    expect(after!.refreshRequestedAt).toBeNull();

    await setItemError(h.emu.url, { item_id: row!.plaidItemId }, 'ITEM_LOGIN_REQUIRED', { webhook: false });
    await expect(h.caller(user).items.refresh({ itemId: item.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    // The failed call put the item in ERROR: now it is refused before Plaid is asked.
    const calls = await refreshCalls(item.id);
    const refused = await h.caller(user).items.refresh({ itemId: item.id }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(String((refused as { cause: { displayMessage: string } }).cause.displayMessage)).toBe('Your bank needs you to sign in again to keep your data up to date.');
    expect(await refreshCalls(item.id)).toBe(calls);
  });
});
