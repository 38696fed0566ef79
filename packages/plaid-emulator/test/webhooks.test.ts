import { createHash, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import type { PlaidApi } from 'plaid';
import { SandboxItemFireWebhookRequestWebhookCodeEnum as Code } from 'plaid';
import { linkItem, plaidFailure, startTestEmulator, startWebhookReceiver, waitFor, type Received } from '../src/testing';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
let emu: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
let hooks: Receiver | undefined;
afterEach(async () => {
  await emu?.close();
  await hooks?.close();
  emu = undefined;
  hooks = undefined;
});

/** Verification exactly as PLAID.md prescribes for the app. */
async function verify(plaid: PlaidApi, r: Received): Promise<{ kid: string }> {
  const jwt = String(r.headers['plaid-verification']);
  const header = decodeProtectedHeader(jwt);
  expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
  const { data } = await plaid.webhookVerificationKeyGet({ key_id: String(header.kid) });
  expect(data.key.expired_at).toBeNull();
  const key = await importJWK({ kty: data.key.kty, crv: data.key.crv, x: data.key.x, y: data.key.y }, 'ES256');
  const { payload } = await jwtVerify(jwt, key, { algorithms: ['ES256'], maxTokenAge: '5 min' });
  const actual = createHash('sha256').update(r.body).digest();
  expect(timingSafeEqual(actual, Buffer.from(String(payload.request_body_sha256), 'hex'))).toBe(true);
  return { kid: String(header.kid) };
}

describe('webhooks', () => {
  it('sends a pretty-printed body signed with an ES256 JWT that verifies against the served key', async () => {
    hooks = await startWebhookReceiver();
    emu = await startTestEmulator();
    const { item_id } = await linkItem(emu.plaid, { webhook: hooks.url });
    await waitFor(() => hooks!.received.length >= 2);
    const first = hooks.received.find((r) => r.json.webhook_code === 'INITIAL_UPDATE')!;
    expect(first.body).toBe(JSON.stringify(first.json, null, 2));
    expect(first.json).toMatchObject({ webhook_type: 'TRANSACTIONS', webhook_code: 'INITIAL_UPDATE', item_id, environment: 'sandbox', error: null });
    expect(first.json.new_transactions).toEqual(expect.any(Number));
    expect(hooks.codes().sort()).toEqual(['TRANSACTIONS:HISTORICAL_UPDATE', 'TRANSACTIONS:INITIAL_UPDATE']);
    await verify(emu.plaid, first);
  });

  it('rejects a body whose hash does not match the signed one', async () => {
    hooks = await startWebhookReceiver();
    emu = await startTestEmulator();
    await linkItem(emu.plaid, { webhook: hooks.url });
    await waitFor(() => hooks!.received.length >= 1);
    // Whichever webhook came first (INITIAL_UPDATE and HISTORICAL_UPDATE race on a busy machine).
    const original = hooks.received[0]!;
    const tampered = { ...original, body: original.body.replace(/"webhook_code": "[A-Z_]+"/, '"webhook_code": "DEFAULT_UPDATE_TAMPERED"') };
    expect(tampered.body).not.toBe(original.body);
    await expect(verify(emu.plaid, tampered)).rejects.toThrow();
  });

  it('sends SYNC_UPDATES_AVAILABLE only after the item has been synced once', async () => {
    hooks = await startWebhookReceiver();
    emu = await startTestEmulator({ initialUpdateDelayMs: 50, historicalUpdateDelayMs: 400 });
    const { access_token } = await linkItem(emu.plaid, { webhook: hooks.url });
    await waitFor(() => hooks!.codes().includes('TRANSACTIONS:INITIAL_UPDATE'));
    expect(hooks.codes()).not.toContain('TRANSACTIONS:SYNC_UPDATES_AVAILABLE');
    await emu.plaid.transactionsSync({ access_token });
    await waitFor(() => hooks!.codes().includes('TRANSACTIONS:HISTORICAL_UPDATE'));
    await waitFor(() => hooks!.codes().includes('TRANSACTIONS:SYNC_UPDATES_AVAILABLE'));
    const sua = hooks.received.find((r) => r.json.webhook_code === 'SYNC_UPDATES_AVAILABLE')!;
    expect(sua.json).toMatchObject({ initial_update_complete: true, historical_update_complete: true });
  });

  it('fires ITEM ERROR on reset_login and WEBHOOK_UPDATE_ACKNOWLEDGED to the new URL', async () => {
    hooks = await startWebhookReceiver();
    const other = await startWebhookReceiver();
    try {
      emu = await startTestEmulator();
      const { access_token } = await linkItem(emu.plaid, { webhook: hooks.url });
      await emu.plaid.sandboxItemResetLogin({ access_token });
      await waitFor(() => hooks!.codes().includes('ITEM:ERROR'));
      expect(hooks.received.find((r) => r.json.webhook_code === 'ERROR')?.json.error).toMatchObject({ error_code: 'ITEM_LOGIN_REQUIRED', status: 400 });
      const r = await emu.plaid.itemWebhookUpdate({ access_token, webhook: other.url });
      expect(r.data.item.webhook).toBe(other.url);
      await waitFor(() => other.codes().includes('ITEM:WEBHOOK_UPDATE_ACKNOWLEDGED'));
      expect(other.received[0]?.json.new_webhook_url).toBe(other.url);
    } finally {
      await other.close();
    }
  });

  it('fires DEFAULT_UPDATE and TRANSACTIONS_REMOVED on refresh', async () => {
    hooks = await startWebhookReceiver();
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid, { webhook: hooks.url, username: 'user_transactions_dynamic' });
    await emu.plaid.transactionsRefresh({ access_token });
    await waitFor(() => hooks!.codes().includes('TRANSACTIONS:TRANSACTIONS_REMOVED') && hooks!.codes().includes('TRANSACTIONS:DEFAULT_UPDATE'));
    const removed = hooks.received.find((r) => r.json.webhook_code === 'TRANSACTIONS_REMOVED')!.json.removed_transactions as string[];
    expect(removed.length).toBeGreaterThan(0);
  });

  it('fires sandbox webhooks on demand, and SANDBOX_WEBHOOK_INVALID without a webhook URL', async () => {
    hooks = await startWebhookReceiver();
    emu = await startTestEmulator();
    const { access_token } = await linkItem(emu.plaid, { webhook: hooks.url });
    expect((await emu.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.NewAccountsAvailable })).data.webhook_fired).toBe(true);
    await emu.plaid.sandboxItemFireWebhook({ access_token, webhook_code: Code.PendingDisconnect });
    await waitFor(() => hooks!.codes().includes('ITEM:PENDING_DISCONNECT'));
    expect(hooks.codes()).toContain('ITEM:NEW_ACCOUNTS_AVAILABLE');
    const bare = await linkItem(emu.plaid);
    expect(await plaidFailure(emu.plaid.sandboxItemFireWebhook({ access_token: bare.access_token, webhook_code: Code.DefaultUpdate }))).toMatchObject({ status: 400, type: 'SANDBOX_ERROR', code: 'SANDBOX_WEBHOOK_INVALID' });
  });

  it('retries a failing receiver with backoff and records every attempt', async () => {
    hooks = await startWebhookReceiver((r, all) => (r.json.webhook_code === 'INITIAL_UPDATE' && all.filter((x) => x.json.webhook_code === 'INITIAL_UPDATE').length < 3 ? 500 : 200));
    emu = await startTestEmulator({ webhookTimeScale: 0.001 }); // 30 ms, then 120 ms
    const { item_id } = await linkItem(emu.plaid, { webhook: hooks.url, institution: 'ins_109510' });
    const first = () => emu!.emulator.controls.webhookDeliveries(item_id).find((d) => d.webhookCode === 'INITIAL_UPDATE')!;
    await waitFor(() => first().state === 'delivered', 5000);
    expect(first().attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    const gaps = first().attempts.slice(1).map((a, i) => Date.parse(a.at) - Date.parse(first().attempts[i]!.at));
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    const listed = await fetch(`${emu.url}/emulator/webhooks?item_id=${item_id}`).then((r) => r.json() as Promise<{ deliveries: { state: string }[] }>);
    expect(listed.deliveries.map((d) => d.state)).toEqual(['delivered', 'delivered']);
  });

  it('rotates the signing key: new webhooks use a new kid and the old key reports expired_at', async () => {
    hooks = await startWebhookReceiver();
    emu = await startTestEmulator();
    await linkItem(emu.plaid, { webhook: hooks.url });
    await waitFor(() => hooks!.received.length >= 1);
    const { kid: oldKid } = await verify(emu.plaid, hooks.received[0]!);
    const rotated = await fetch(`${emu.url}/emulator/keys/rotate`, { method: 'POST' }).then((r) => r.json() as Promise<{ old_kid: string; new_kid: string }>);
    expect(rotated.old_kid).toBe(oldKid);
    const old = await emu.plaid.webhookVerificationKeyGet({ key_id: oldKid });
    expect(old.data.key.expired_at).toEqual(expect.any(Number));
    const n = hooks.received.length;
    await linkItem(emu.plaid, { webhook: hooks.url });
    await waitFor(() => hooks!.received.length > n);
    expect((await verify(emu.plaid, hooks.received[n]!)).kid).toBe(rotated.new_kid);
    expect(await plaidFailure(emu.plaid.webhookVerificationKeyGet({ key_id: 'unknown' }))).toMatchObject({ code: 'INVALID_WEBHOOK_VERIFICATION_KEY_ID' });
  });
});
