import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBalanceSnapshots, auditLog, institutions, plaidAccounts, plaidItems, users } from '../../../db/schema';
import { createHarness, type Harness } from '../../../test/support/harness';
import { decrypt } from '../../crypto';
import { REPLACED_MESSAGE } from '../../items/lifecycle';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('link.createToken', () => {
  it('makes a new-item token for a user without banks', async () => {
    const user = await h.createUser();
    const token = await h.caller(user).link.createToken();
    expect(token.linkToken).toMatch(/^link-sandbox-/);
    expect(token.mode).toBe('new');
    expect(h.emu.emulator.link.describeLinkToken(token.linkToken)).toMatchObject({ mode: 'new', webhook: h.sink.url, clientUserId: user.id });
  });

  it('makes an update-mode token for the item in error once the user has banks', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    await h.db.update(plaidItems).set({ status: 'ERROR', newAccountsAvailable: true }).where(eq(plaidItems.id, item.id));
    const token = await h.caller(user).link.createToken();
    expect(token).toMatchObject({ mode: 'update', itemId: item.id });
    expect(h.emu.emulator.link.describeLinkToken(token.linkToken)).toMatchObject({ mode: 'update', accountSelectionEnabled: true });
    expect((await h.caller(user).link.createToken({ mode: 'new' })).mode).toBe('new');
  });

  it('never makes an update-mode token for a revoked item, and never falls back to one', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    await h.db.update(plaidItems).set({ status: 'REVOKED' }).where(eq(plaidItems.id, item.id));
    const refused = await h.caller(user).link.createToken({ itemId: item.id }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(String((refused as { cause: { displayMessage: string } }).cause.displayMessage)).toMatch(/Link it again/);
    // Nothing needs update mode: a new-bank token, not one for the dead item.
    expect(await h.caller(user).link.createToken()).toMatchObject({ mode: 'new', itemId: null });
  });

  it('gives a fresh token on every call', async () => {
    const user = await h.createUser();
    const a = await h.caller(user).link.createToken({ mode: 'new' });
    const b = await h.caller(user).link.createToken({ mode: 'new' });
    expect(a.linkToken).not.toBe(b.linkToken);
  });

  it('refuses another user\'s item with NOT_FOUND and rate-limits per user', async () => {
    const owner = await h.createUser();
    const { item } = await h.linkBank(owner);
    const other = await h.createUser();
    await expect(h.caller(other).link.createToken({ itemId: item.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const spammer = await h.createUser();
    for (let i = 0; i < 10; i++) await h.caller(spammer).link.createToken({ mode: 'new' });
    await expect(h.caller(spammer).link.createToken({ mode: 'new' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

describe('items.link', () => {
  it('stores the item with its token and numbers encrypted, picks the main account and asks for a sync', async () => {
    const user = await h.createUser();
    const { item, created } = await h.linkBank(user);
    expect(created).toBe(true);
    expect(item).toMatchObject({ status: 'ACTIVE', institutionId: 'ins_109508', institutionName: 'First Platypus Bank' });
    expect(JSON.stringify(item)).not.toMatch(/access-sandbox/);

    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    const accessToken = decrypt(h.deps.keyring, row!.accessTokenEnc);
    expect(accessToken).toMatch(/^access-sandbox-/);
    expect(row!.accessTokenEnc).not.toContain(accessToken);

    const accounts = await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, item.id));
    const checking = accounts.find((a) => a.subtype === 'checking')!;
    expect(item.mainAccountId).toBe(checking.id);
    const auth = await h.emu.plaid.authGet({ access_token: accessToken });
    const ach = auth.data.numbers.ach.find((n) => n.account_id === checking.id)!;
    expect(checking.accountNumberEnc).toMatch(/^v1\.test\./);
    expect(decrypt(h.deps.keyring, checking.accountNumberEnc!)).toBe(ach.account);
    expect(decrypt(h.deps.keyring, checking.routingNumberEnc!)).toBe(ach.routing);

    const [u] = await h.db.select().from(users).where(eq(users.id, user.id));
    expect(u!.status).toBe('ACTIVE');
    expect(h.sent).toContainEqual({ name: 'item/sync.requested', data: { itemId: item.id, trigger: 'link' } });
    const [inst] = await h.db.select().from(institutions).where(eq(institutions.id, 'ins_109508'));
    expect(inst?.logo).toBeTruthy();
  });

  it('is idempotent on retry with the same public token', async () => {
    const user = await h.createUser();
    const first = await h.linkBank(user);
    const again = await h.caller(user).items.link({ publicToken: first.publicToken, metadata: first.metadata });
    expect(again).toMatchObject({ created: false, item: { id: first.item.id } });
    expect(await h.db.select().from(plaidItems).where(eq(plaidItems.userId, user.id))).toHaveLength(1);
  });

  it('a retry after a crash that stored the item but nothing more finishes the link', async () => {
    const user = await h.createUser();
    const first = await h.linkBank(user);
    // What a process dying right after the item insert leaves: no accounts (nor their daily balances,
    // written in the same transaction), no main account, user PENDING.
    const accountIds = (await h.db.select({ id: plaidAccounts.id }).from(plaidAccounts).where(eq(plaidAccounts.itemId, first.item.id))).map((a) => a.id);
    await h.db.delete(accountBalanceSnapshots).where(inArray(accountBalanceSnapshots.accountId, accountIds));
    await h.db.delete(plaidAccounts).where(eq(plaidAccounts.itemId, first.item.id));
    await h.db.update(plaidItems).set({ mainAccountId: null }).where(eq(plaidItems.id, first.item.id));
    await h.db.update(users).set({ status: 'PENDING' }).where(eq(users.id, user.id));
    h.sent.length = 0;
    const again = await h.caller(user).items.link({ publicToken: first.publicToken, metadata: first.metadata });
    expect(again).toMatchObject({ created: false, item: { id: first.item.id } });
    const [item] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, first.item.id));
    expect(item!.mainAccountId).not.toBeNull();
    expect(await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, first.item.id))).not.toHaveLength(0);
    expect((await h.db.select().from(users).where(eq(users.id, user.id)))[0]!.status).toBe('ACTIVE');
    expect(h.sent).toContainEqual({ name: 'item/sync.requested', data: { itemId: first.item.id, trigger: 'link' } });
  });

  it('refuses a duplicate bank with a clear CONFLICT before exchanging', async () => {
    const user = await h.createUser();
    await h.linkBank(user);
    const callsBefore = Object.keys(h.emu.emulator.state.items).length;
    const error = await h.linkBank(user).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect(String((error as { cause: { displayMessage: string } }).cause.displayMessage)).toMatch(/already linked First Platypus Bank/);
    // Link made a new Plaid item, but we did not exchange or store it.
    expect(Object.keys(h.emu.emulator.state.items).length).toBe(callsBefore + 1);
    expect(await h.db.select().from(plaidItems).where(eq(plaidItems.userId, user.id))).toHaveLength(1);
  });

  it.each(['REVOKED', 'REMOVED'] as const)('links a bank again after its item was %s: a new item, the old one kept', async (status) => {
    const user = await h.createUser();
    const first = await h.linkBank(user);
    await h.db.update(plaidItems).set({ status }).where(eq(plaidItems.id, first.item.id));
    const again = await h.linkBank(user);
    expect(again.created).toBe(true);
    expect(again.item.id).not.toBe(first.item.id);
    const rows = await h.db.select().from(plaidItems).where(eq(plaidItems.userId, user.id));
    expect(rows.map((r) => r.status).sort()).toEqual(['ACTIVE', status].sort());
  });

  it.each(['REVOKED', 'REMOVED'] as const)('a %s item linked again stops asking: "replaced by your new connection", history kept', async (status) => {
    const user = await h.createUser();
    const first = await h.linkBank(user);
    await h.db.update(plaidItems).set({ status, errorCode: status === 'REVOKED' ? 'USER_PERMISSION_REVOKED' : null }).where(eq(plaidItems.id, first.item.id));
    // Another bank linked meanwhile replaces nothing: the revoked one still asks to be linked again.
    await h.linkBank(user, { institutionId: 'ins_109511' });
    const before = await h.caller(user).items.byId({ itemId: first.item.id });
    expect(before).toMatchObject({ replacedBy: null, action: status === 'REVOKED' ? 'link_again' : 'none' });

    const again = await h.linkBank(user);
    const listed = await h.caller(user).items.list({ include: { accounts: true } });
    const old = listed.find((i) => i.id === first.item.id)!;
    expect(old).toMatchObject({ status, replacedBy: again.item.id, action: 'none', errorMessage: REPLACED_MESSAGE });
    expect(old.accounts!.length).toBeGreaterThan(0);
    expect(await h.caller(user).items.byId({ itemId: first.item.id })).toMatchObject({ replacedBy: again.item.id, action: 'none' });
    // Live items are never "replaced".
    expect(listed.filter((i) => i.id !== first.item.id).every((i) => i.replacedBy === null)).toBe(true);
  });

  it('links a bank without Auth (Tartan Bank): Transactions required, Auth only where supported; accounts stored without numbers', async () => {
    const user = await h.createUser();
    const { linkToken } = await h.caller(user).link.createToken({ mode: 'new' });
    expect(h.emu.emulator.link.describeLinkToken(linkToken)).toMatchObject({ products: ['transactions'] });
    const { item } = await h.linkBank(user, { institutionId: 'ins_109511' });
    const accounts = await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, item.id));
    expect(accounts.length).toBeGreaterThan(0);
    expect(accounts.every((a) => a.accountNumberEnc === null && a.routingNumberEnc === null)).toBe(true);
    expect(item.mainAccountId).not.toBeNull();
    // A bank with Auth still gives numbers.
    const withAuth = await h.linkBank(await h.createUser());
    const numbered = await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, withAuth.item.id));
    expect(numbered.some((a) => a.accountNumberEnc !== null)).toBe(true);
  });

  it('answers a bad public token with a typed BAD_REQUEST and stores nothing', async () => {
    const user = await h.createUser();
    const bad = h.caller(user).items.link({
      publicToken: 'public-sandbox-00000000-0000-0000-0000-000000000000',
      metadata: { institution: null, accounts: [], link_session_id: 'x' },
    });
    await expect(bad).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await h.db.select().from(plaidItems).where(eq(plaidItems.userId, user.id))).toHaveLength(0);
  });
});

describe('items.list / byId / setMainAccount', () => {
  it('lists by status with accounts and logos, and hides other users\' items', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const list = await h.caller(user).items.list({ include: { accounts: true, logos: true } });
    expect(list).toHaveLength(1);
    expect(list[0]!.accounts!.length).toBeGreaterThanOrEqual(3);
    expect(list[0]!.institution?.primaryColor).toMatch(/^#/);
    expect(await h.caller(user).items.list({ status: 'ERROR' })).toEqual([]);
    const stranger = await h.createUser();
    expect(await h.caller(stranger).items.list()).toEqual([]);
    await expect(h.caller(stranger).items.byId({ itemId: item.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await h.caller(user).items.byId({ itemId: item.id })).id).toBe(item.id);
  });

  it('sets the main account only to an account of that item', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const savings = (await h.caller(user).accounts.cached({ itemId: item.id })).find((a) => a.subtype === 'savings')!;
    expect((await h.caller(user).items.setMainAccount({ itemId: item.id, accountId: savings.id })).mainAccountId).toBe(savings.id);
    await expect(h.caller(user).items.setMainAccount({ itemId: item.id, accountId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a card, loan or investment account as the main account', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const notBank = (await h.caller(user).accounts.cached({ itemId: item.id })).find((a) => a.type !== 'depository')!;
    expect(notBank).toBeDefined();
    await expect(h.caller(user).items.setMainAccount({ itemId: item.id, accountId: notBank.id })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      cause: { displayMessage: 'Only a checking or savings account can be your main account.' },
    });
  });

  it('rejects malformed input with BAD_REQUEST', async () => {
    const user = await h.createUser();
    await expect(h.caller(user).items.byId({ itemId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(h.caller(user).items.list({ status: 'BROKEN' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses anonymous callers everywhere with UNAUTHORIZED', async () => {
    await expect(h.caller(null).items.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(h.caller(null).link.createToken()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('items.remove / canChange / support force remove', () => {
  it('refuses removal during an active float, lets support force it, and audits it', async () => {
    const user = await h.createUser();
    const staff = await h.createUser('support');
    const { item } = await h.linkBank(user);
    const float = await h.caller(staff).support.floats.create({ userId: user.id, amount: '50.00', reason: 'payday advance' });
    expect(await h.caller(user).items.canChange()).toMatchObject({ allowed: false, reasons: [expect.stringMatching(/50\.00 USD/)] });
    await expect(h.caller(user).items.remove({ itemId: item.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });

    await expect(h.caller(staff).support.items.forceRemove({ itemId: item.id, reason: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const removed = await h.caller(staff).support.items.forceRemove({ itemId: item.id, reason: 'customer asked by phone' });
    expect(removed.status).toBe('REMOVED');
    const audit = await h.caller(staff).support.audit.list({ subjectUserId: user.id });
    expect(audit.map((a) => a.action)).toEqual(['item.force_remove', 'float.create']);
    expect(audit[0]).toMatchObject({ actorId: staff.id, reason: 'customer asked by phone', itemId: item.id });
    // Data is kept, marked; Plaid no longer knows the item.
    expect((await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, item.id))).length).toBeGreaterThan(0);
    await h.caller(staff).support.floats.settle({ floatId: float.id, reason: 'repaid' });
    expect(await h.caller(user).items.canChange()).toEqual({ allowed: true, reasons: [] });
  });

  it('removes an item without a float: Plaid forgets it, the row stays as REMOVED', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    const token = decrypt(h.deps.keyring, row!.accessTokenEnc);
    expect((await h.caller(user).items.remove({ itemId: item.id })).status).toBe('REMOVED');
    await expect(h.emu.plaid.itemGet({ access_token: token })).rejects.toMatchObject({ response: { status: 400 } });
    expect((await h.caller(user).items.list({ status: 'REMOVED' })).map((i) => i.id)).toEqual([item.id]);
    await expect(h.caller(user).accounts.live({ itemId: item.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('keeps support procedures from users', async () => {
    const user = await h.createUser();
    await expect(h.caller(user).support.items.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.caller(user).support.users.search({ query: 'a' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.caller(user).support.floats.create({ userId: user.id, amount: '1.00', reason: 'self' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const staff = await h.createUser('support');
    expect((await h.caller(staff).support.users.search({ query: user.email })).map((u) => u.id)).toEqual([user.id]);
  });

  it('finds an item for support by our item id, by Plaid\'s item id and by institution', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const staff = h.caller(await h.createUser('support'));
    const [mine] = await staff.support.items.list({ userId: user.id });
    expect(mine!.id).toBe(item.id);
    for (const search of [item.id, mine!.plaidItemId, mine!.institutionName!.slice(0, 8)]) {
      expect((await staff.support.items.list({ search, limit: 200 })).map((i) => i.id), search).toContain(item.id);
    }
    expect(await staff.support.items.list({ search: 'no bank is called this' })).toEqual([]);
    // The console's Syncs page: without a user or item, every user's runs.
    await h.caller(user).items.remine({ itemId: item.id });
    expect((await staff.support.syncRuns.list({ limit: 200 })).map((r) => r.itemId)).toContain(item.id);
  });
});

describe('items.resetLogin and ITEM_LOGIN_REQUIRED', () => {
  it('flips the item to ERROR and returns a typed error the UI can act on', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    await h.caller(user).items.resetLogin({ itemId: item.id });
    const error = await h.caller(user).accounts.live({ itemId: item.id }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', cause: { code: 'ITEM_LOGIN_REQUIRED', plaidErrorCode: 'ITEM_LOGIN_REQUIRED' } });
    expect((await h.caller(user).items.byId({ itemId: item.id })).status).toBe('ERROR');
  });

  it('is FORBIDDEN in production', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const prod = h.caller(user, { config: { ...h.deps.config, plaidEnv: 'production' } });
    await expect(prod.items.resetLogin({ itemId: item.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('items.remine', () => {
  it('queues one re-mine per item and returns the same run while it waits', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const first = await h.caller(user).items.remine({ itemId: item.id });
    const second = await h.caller(user).items.remine({ itemId: item.id });
    expect(second).toEqual({ runId: first.runId, alreadyQueued: true });
    expect(h.sent.filter((e) => e.name === 'item/remine.requested' && e.data.itemId === item.id)).toHaveLength(1);
    const staff = await h.createUser('support');
    expect((await h.caller(staff).support.items.remine({ itemId: item.id, reason: 'customer reports gaps' })).runId).toBe(first.runId);
    expect((await h.db.select().from(auditLog).where(eq(auditLog.itemId, item.id))).map((a) => a.action)).toContain('item.remine');
  });
});
