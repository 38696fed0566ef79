import { afterEach, describe, expect, it } from 'vitest';
import { CountryCode, Products, SandboxItemFireWebhookRequestWebhookCodeEnum as Code, WebhookType, type LinkTokenCreateRequest } from 'plaid';
import { startTestEmulator, startWebhookReceiver } from '../src/testing';

/**
 * After a partial account selection in Link (new mode, or update mode with account selection),
 * everything the item later produces — refreshed and clock-advanced transactions, AUTH numbers —
 * belongs to an account the item shares: never an empty or unshared account_id.
 */
let emu: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
afterEach(async () => {
  await emu?.close();
  await hooks?.close();
  emu = hooks = undefined;
});

const tokenRequest = (extra: Partial<LinkTokenCreateRequest>): LinkTokenCreateRequest => ({
  client_name: 'Tributary', language: 'en', country_codes: [CountryCode.Us], user: { client_user_id: 'u-1' }, ...extra,
});

async function link(username: string, pick: (choices: { id: string; subtype: string | null }[]) => string[]) {
  emu = await startTestEmulator();
  hooks = await startWebhookReceiver();
  const { data } = await emu.plaid.linkTokenCreate(tokenRequest({ products: [Products.Transactions], webhook: hooks.url }));
  const choices = emu.emulator.link.linkAccountChoices(data.link_token);
  const done = emu.emulator.link.completeLink({ linkToken: data.link_token, institutionId: 'ins_109508', username, password: 'pass_good', selectedAccountIds: pick(choices) });
  if (done.status !== 'success') throw new Error(JSON.stringify(done));
  const { data: ex } = await emu.plaid.itemPublicTokenExchange({ public_token: done.publicToken });
  return ex.access_token;
}

/** The transactions /transactions/sync gives from `cursor` (from the start without one), and the cursor after them. */
async function syncFrom(access_token: string, from?: string) {
  const out: { account_id: string; transaction_id: string }[] = [];
  let cursor = from;
  for (;;) {
    const { data } = await emu!.plaid.transactionsSync({ access_token, ...(cursor ? { cursor } : {}), count: 500 });
    out.push(...data.added, ...data.modified);
    cursor = data.next_cursor;
    if (!data.has_more) return { txs: out, cursor };
  }
}

async function expectOnlySharedAccounts(access_token: string, from?: string) {
  const shared = new Set((await emu!.plaid.accountsGet({ access_token })).data.accounts.map((a) => a.account_id));
  const { txs } = await syncFrom(access_token, from);
  expect(txs.length).toBeGreaterThan(0);
  const stray = txs.filter((t) => !shared.has(t.account_id));
  expect(stray.map((t) => t.account_id)).toEqual([]);
}

describe('a partial account selection', () => {
  it('new mode, savings only: refreshed transactions land on the shared account, never on an empty account_id', async () => {
    const token = await link('user_transactions_dynamic', (c) => c.filter((a) => a.subtype === 'savings').map((a) => a.id));
    await emu!.plaid.transactionsRefresh({ access_token: token });
    await emu!.plaid.transactionsRefresh({ access_token: token });
    await expectOnlySharedAccounts(token);
  });

  it('update mode with account selection, checking dropped: the clock and refreshes use shared accounts only', async () => {
    const token = await link('user_transactions_dynamic', (c) => c.map((a) => a.id));
    await emu!.plaid.sandboxItemFireWebhook({ access_token: token, webhook_code: Code.NewAccountsAvailable, webhook_type: WebhookType.Item });
    const { data } = await emu!.plaid.linkTokenCreate(tokenRequest({ access_token: token, update: { account_selection_enabled: true } }));
    const offered = emu!.emulator.link.linkAccountChoices(data.link_token);
    const keep = offered.filter((a) => a.subtype === 'credit card' || a.subtype === 'savings').map((a) => a.id);
    const done = emu!.emulator.link.completeLink({ linkToken: data.link_token, institutionId: '', username: 'user_good', password: 'pass_good', selectedAccountIds: keep });
    expect(done.status).toBe('success');
    if (done.status === 'success') expect(done.accounts.every((a) => a.id.length > 0)).toBe(true);
    // What comes after the selection (the dropped account's history stays as it was).
    const { cursor } = await syncFrom(token);
    await emu!.plaid.transactionsRefresh({ access_token: token });
    await emu!.emulator.controls.advanceClock({ access_token: token }, 20);
    await emu!.plaid.transactionsRefresh({ access_token: token });
    const { data: accounts } = await emu!.plaid.accountsGet({ access_token: token });
    expect(accounts.accounts.map((a) => a.subtype).sort()).toEqual(['credit card', 'savings']);
    await expectOnlySharedAccounts(token, cursor);
  });
});
