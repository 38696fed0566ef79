import { eq } from 'drizzle-orm';
import { SandboxItemFireWebhookRequestWebhookCodeEnum as Code, WebhookType } from 'plaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidAccounts, plaidItems } from '../../db/schema';
import { decrypt, encrypt } from '../crypto';
import { accessTokenOf } from '../items/item-access';
import { refreshItemAccounts } from '../sync/refresh-item-accounts';
import { createHarness, type Harness } from '../../test/support/harness';
import { getWebhook, storeWebhook } from '../../test/support/webhook-fixtures';
import { startWebhookFlow } from '../../test/support/webhook-flow';
import { clearAccountNumbers } from './account-writes';

/** Account and routing numbers on every path that stores accounts, and Plaid's AUTH DEFAULT_UPDATE. */
let h: Harness;
let flow: Awaited<ReturnType<typeof startWebhookFlow>>;
beforeAll(async () => {
  h = await createHarness();
  flow = await startWebhookFlow(h, 'auth-numbers');
});
afterAll(async () => {
  await flow.stop();
  await h.close();
});

async function linked(institutionId?: string) {
  const user = await h.createUser();
  const { item } = await h.linkBank(user, institutionId ? { institutionId } : {});
  const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
  return { user, item: row!, accessToken: accessTokenOf(h.deps.keyring, row!) };
}
const accountsOf = async (itemId: string) => (await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, itemId))).filter((a) => !a.removedAt);
const numberOf = (a: { accountNumberEnc: string | null }) => (a.accountNumberEnc ? decrypt(h.deps.keyring, a.accountNumberEnc) : null);
async function plaidNumbers(accessToken: string) {
  const auth = await h.emu.plaid.authGet({ access_token: accessToken });
  return new Map(auth.data.numbers.ach.map((n) => [n.account_id, n.account]));
}
/** Every stored account carries exactly the number Plaid's /auth/get gives now (none where it gives none). */
async function expectNumbersAsPlaid(itemId: string, accessToken: string) {
  const now = await plaidNumbers(accessToken);
  const stored = await accountsOf(itemId);
  expect(stored.length).toBeGreaterThan(0);
  for (const a of stored) expect(numberOf(a), a.name).toBe(now.get(a.id) ?? null);
  expect(stored.some((a) => a.accountNumberEnc !== null)).toBe(true);
  return stored;
}

describe('AUTH DEFAULT_UPDATE', () => {
  it('reads /auth/get again and stores the renumbered account’s new number, encrypted (receiver + runner)', async () => {
    const { user, item, accessToken } = await linked();
    const before = new Map((await accountsOf(item.id)).map((a) => [a.id, numberOf(a)]));

    await h.emu.plaid.sandboxItemFireWebhook({ access_token: accessToken, webhook_code: Code.DefaultUpdate, webhook_type: WebhookType.Auth });
    const webhookId = await flow.deliver(item.plaidItemId, 'DEFAULT_UPDATE', 'AUTH');
    expect(await getWebhook(h.db, webhookId)).toMatchObject({ state: 'PROCESSED' });

    const after = await expectNumbersAsPlaid(item.id, accessToken);
    const renumbered = after.filter((a) => numberOf(a) !== before.get(a.id));
    expect(renumbered).toHaveLength(1);
    expect(renumbered[0]!.accountNumberEnc).not.toContain(numberOf(renumbered[0]!)!);
    expect((await h.caller(user).items.byId({ itemId: item.id })).status).toBe('ACTIVE');
  });

  it('drops a renumbered account’s old number when the bank now gives none, and the item stays well', async () => {
    const { user, item } = await linked('ins_109511'); // Tartan Bank: no Auth, so /auth/get → NO_AUTH_ACCOUNTS
    const [account] = await accountsOf(item.id);
    // Numbers stored earlier (say, before the bank dropped Auth).
    const stale = { accountNumberEnc: encrypt(h.deps.keyring, '999900001234'), routingNumberEnc: encrypt(h.deps.keyring, '011401533') };
    await h.db.update(plaidAccounts).set(stale).where(eq(plaidAccounts.id, account!.id));
    const sentBefore = h.sent.length;
    const stored = await storeWebhook(h.db, item, {
      webhook_type: 'AUTH',
      webhook_code: 'DEFAULT_UPDATE',
      account_ids_with_new_auth: [],
      account_ids_with_updated_auth: { [account!.id]: ['ACCOUNT_NUMBER'] },
      error: null,
    });
    await flow.handleStored(stored.id);
    expect(await getWebhook(h.db, stored.id)).toMatchObject({ state: 'PROCESSED' });
    expect((await accountsOf(item.id)).every((a) => a.accountNumberEnc === null && a.routingNumberEnc === null)).toBe(true);
    const view = await h.caller(user).items.byId({ itemId: item.id });
    expect(view).toMatchObject({ status: 'ACTIVE', errorCode: null });
    expect(h.sent.slice(sentBefore).filter((e) => e.name === 'item/status.changed')).toEqual([]);
  });

  it('is ignored for a revoked item (its token no longer works)', async () => {
    const { item } = await linked();
    await h.db.update(plaidItems).set({ status: 'REVOKED' }).where(eq(plaidItems.id, item.id));
    const stored = await storeWebhook(h.db, item, { webhook_type: 'AUTH', webhook_code: 'DEFAULT_UPDATE', account_ids_with_new_auth: [], account_ids_with_updated_auth: {}, error: null });
    await flow.handleStored(stored.id);
    expect(await getWebhook(h.db, stored.id)).toMatchObject({ state: 'IGNORED', error: expect.stringMatching(/REVOKED/) });
  });
});

describe('numbers on every path that stores accounts', () => {
  it('update mode stores the accounts the person adds with their numbers', async () => {
    const { user, item, accessToken } = await linked();
    await h.emu.plaid.sandboxItemFireWebhook({ access_token: accessToken, webhook_code: Code.NewAccountsAvailable });
    await flow.deliver(item.plaidItemId, 'NEW_ACCOUNTS_AVAILABLE');
    const { linkToken } = await h.caller(user).link.createToken({ itemId: item.id });
    const choices = h.emu.emulator.link.linkAccountChoices(linkToken);
    const known = new Set((await accountsOf(item.id)).map((a) => a.id));
    const added = choices.filter((c) => !known.has(c.id));
    expect(added).toHaveLength(1);
    const done = h.emu.emulator.link.completeLink({
      linkToken, institutionId: item.institutionId!, username: 'user_good', password: 'pass_good', selectedAccountIds: choices.map((c) => c.id),
    });
    expect(done.status).toBe('success');
    await h.caller(user).items.completeUpdate({ itemId: item.id });
    const stored = await expectNumbersAsPlaid(item.id, accessToken);
    expect(numberOf(stored.find((a) => a.id === added[0]!.id)!)).toMatch(/^\d+$/);
  });

  it('a re-mine of the accounts restores numbers that were missing', async () => {
    const { item, accessToken } = await linked();
    await clearAccountNumbers(h.db, item.id);
    expect((await accountsOf(item.id)).every((a) => a.accountNumberEnc === null)).toBe(true);
    await refreshItemAccounts(h.db, h.deps, { itemId: item.id, reconcile: true });
    await expectNumbersAsPlaid(item.id, accessToken);
  });
});
