import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidAccounts, plaidItems } from '../../db/schema';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { createInnerContext } from './context';
import { router, userProcedure } from './init';
import { accountOutput } from './outputs/accounts';
import { itemOutput } from './outputs/items';
import { linkTokenOutput } from './outputs/link';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('output schemas through the caller', () => {
  it('a domain answer that carries a whole database row reaches the caller without its secrets', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    const [account] = await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.id, item.mainAccountId!));
    expect(row!.accessTokenEnc).toBeTruthy();
    expect(account!.accountNumberEnc).toBeTruthy();
    // A domain function that forgot its projection and returned the rows themselves.
    const careless = router({
      item: userProcedure.output(itemOutput).query(() => ({ ...row!, action: 'none' as const, replacedBy: null, accessTokenEncrypted: row!.accessTokenEnc })),
      account: userProcedure
        .output(accountOutput)
        .query(() => ({ ...account!, hasAccountNumbers: true, isMain: true })),
    });
    const caller = careless.createCaller(createInnerContext({ db: h.db, session: { user }, deps: h.deps, log: silentLog }));

    const gotItem = await caller.item();
    expect(Object.keys(gotItem).sort()).toEqual(Object.keys(itemOutput.shape).sort());
    expect(gotItem).toMatchObject({ id: item.id, status: 'ACTIVE', mainAccountId: item.mainAccountId });
    const gotAccount = await caller.account();
    expect(Object.keys(gotAccount).sort()).toEqual(Object.keys(accountOutput.shape).sort());
    expect(gotAccount).toMatchObject({ id: account!.id, mask: account!.mask, hasAccountNumbers: true });

    const said = JSON.stringify([gotItem, gotAccount]);
    for (const secret of [row!.accessTokenEnc, row!.plaidItemId, row!.publicTokenHash!, account!.accountNumberEnc!, account!.routingNumberEnc!]) {
      expect(said).not.toContain(secret);
    }
  });

  it('refuses to send a full account number where a mask belongs, or a token that is not a Link token', async () => {
    const user = await h.createUser();
    const careless = router({
      account: userProcedure.output(accountOutput.pick({ id: true, mask: true })).query(() => ({ id: 'acc-1', mask: '1111222233330000' })),
      token: userProcedure
        .output(linkTokenOutput)
        .query(() => ({ linkToken: 'access-sandbox-0f3e5b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b', expiration: '2026-01-01T00:00:00Z', mode: 'new' as const, itemId: null })),
    });
    const caller = careless.createCaller(createInnerContext({ db: h.db, session: { user }, deps: h.deps, log: silentLog }));
    await expect(caller.account()).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    await expect(caller.token()).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    // And the real ones pass: the emulator's Link token has Plaid's shape.
    const { linkToken } = await h.caller(user).link.createToken({ mode: 'new' });
    expect(linkToken).toMatch(/^link-sandbox-/);
  });
});
