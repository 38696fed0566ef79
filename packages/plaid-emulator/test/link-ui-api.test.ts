import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, CountryCode, PlaidApi, Products } from 'plaid';
import { startEmulatorServer, type EmulatorServer } from '../src/server';

/**
 * The Link UI's internal endpoints, over real HTTP against a real emulator mounted under a
 * prefix; tokens are made and exchanged with the official SDK.
 */
const MOUNT = '/api/plaid-emulator';
let server: EmulatorServer;
let plaid: PlaidApi;

beforeAll(async () => {
  server = await startEmulatorServer({ mountPath: MOUNT, seed: 'link-api-test', rateLimits: false });
  plaid = new PlaidApi(new Configuration({
    basePath: server.url + MOUNT,
    baseOptions: { headers: { 'PLAID-CLIENT-ID': 'test', 'PLAID-SECRET': 'test' } },
  }));
});
afterAll(async () => { await server.close(); });

async function linkApi(action: string, body: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${server.url}${MOUNT}/link/api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function newSession(extra: Record<string, unknown> = {}) {
  const { data } = await plaid.linkTokenCreate({
    client_name: 'Tributary', language: 'en', country_codes: [CountryCode.Us],
    user: { client_user_id: 'u-1' }, products: [Products.Transactions], ...extra,
  });
  const session = await linkApi('session', { link_token: data.link_token });
  expect(session.status).toBe(200);
  return { link_token: data.link_token, link_session_id: session.json.link_session_id as string, session: session.json };
}

describe('Link UI endpoints', () => {
  it('serves the stand-in script with the mount prefix as its fallback base', async () => {
    const res = await fetch(`${server.url}${MOUNT}/link-initialize.js`);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await res.text()).toContain(JSON.stringify(server.url + MOUNT));
    const ui = await fetch(`${server.url}${MOUNT}/link/ui?token=x`);
    expect(ui.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('opens a session listing the nine sandbox institutions with PNG logos', async () => {
    const { session } = await newSession();
    expect(session.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
    expect(session).toMatchObject({ is_update_mode: false, account_selection_enabled: true, institution: null, client_name: 'Tributary' });
    expect(session.institutions).toHaveLength(9);
    const logo = Buffer.from(session.institutions[0].logo, 'base64');
    expect(logo.subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('walks credentials, device MFA and account selection to a public token the SDK exchanges', async () => {
    const s = await newSession();
    const creds = await linkApi('credentials', { ...s, session: undefined, institution_id: 'ins_109511', username: 'user_good', password: 'mfa_device' });
    expect(creds.json).toMatchObject({ next: 'mfa', mfa: { mfa_type: 'code', round: 1, rounds: 1 } });
    const early = await linkApi('complete', { link_token: s.link_token, link_session_id: s.link_session_id, account_ids: ['0'] });
    expect(early.json.error.error_code).toBe('INVALID_FIELD');
    const mfa = await linkApi('mfa', { link_token: s.link_token, link_session_id: s.link_session_id, answers: ['1234'] });
    expect(mfa.json.next).toBe('accounts');
    const checking = mfa.json.accounts.find((a: { name: string }) => a.name === 'Plaid Checking');
    const done = await linkApi('complete', { link_token: s.link_token, link_session_id: s.link_session_id, account_ids: [checking.id] });
    expect(done.status).toBe(200);
    expect(done.json.institution).toEqual({ name: 'Tartan Bank', institution_id: 'ins_109511' });
    expect(done.json.accounts).toHaveLength(1);
    const { data } = await plaid.itemPublicTokenExchange({ public_token: done.json.public_token });
    const accounts = await plaid.accountsGet({ access_token: data.access_token });
    expect(accounts.data.accounts.map((a) => a.account_id)).toEqual([done.json.accounts[0].id]);
    const again = await linkApi('complete', { link_token: s.link_token, link_session_id: s.link_session_id, account_ids: [checking.id] });
    expect(again.json.error.error_code).toBe('INVALID_FIELD');
  });

  it('answers a wrong MFA code with INVALID_MFA and sends the user back to credentials', async () => {
    const s = await newSession();
    await linkApi('credentials', { link_token: s.link_token, link_session_id: s.link_session_id, institution_id: 'ins_109508', username: 'user_good', password: 'mfa_device' });
    const wrong = await linkApi('mfa', { link_token: s.link_token, link_session_id: s.link_session_id, answers: ['0000'] });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'INVALID_MFA' });
    const retry = await linkApi('mfa', { link_token: s.link_token, link_session_id: s.link_session_id, answers: ['1234'] });
    expect(retry.json.error.error_code).toBe('INVALID_FIELD');
  });

  it('fails error_<CODE> passwords with that code and unknown users with INVALID_CREDENTIALS', async () => {
    const s = await newSession();
    const ids = { link_token: s.link_token, link_session_id: s.link_session_id, institution_id: 'ins_109508' };
    const locked = await linkApi('credentials', { ...ids, username: 'user_good', password: 'error_ITEM_LOCKED' });
    expect(locked.json.error).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_LOCKED' });
    const bad = await linkApi('credentials', { ...ids, username: 'nobody', password: 'pass_good' });
    expect(bad.json.error.error_code).toBe('INVALID_CREDENTIALS');
    const unsupported = await linkApi('credentials', { ...ids, institution_id: 'ins_133402', username: 'user_good', password: 'pass_good' });
    expect(unsupported.json.error.error_code).toBe('INSTITUTION_NO_LONGER_SUPPORTED');
  });

  it('sends OAuth through the bank page to redirect_uri and resumes the same session', async () => {
    const s = await newSession({ redirect_uri: 'http://localhost:3000/oauth-return' });
    const start = await linkApi('oauth/start', { link_token: s.link_token, link_session_id: s.link_session_id, institution_id: 'ins_127287' });
    const bankUrl = new URL(start.json.redirect_url, `${server.url}${MOUNT}/link/ui`);
    expect(bankUrl.pathname).toBe(`${MOUNT}/link/oauth/authorize`);
    const page = await fetch(bankUrl);
    expect(await page.text()).toContain('Tributary would like to access your Platypus OAuth Bank accounts');

    const decide = async (decision: string) => {
      const url = new URL(bankUrl);
      url.searchParams.set('decision', decision);
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(303);
      return res.headers.get('location')!;
    };
    const denied = await decide('deny');
    expect(denied).toMatch(/^http:\/\/localhost:3000\/oauth-return\?oauth_state_id=[0-9a-f]{32}$/);
    const afterDeny = await linkApi('session', { link_token: s.link_token, received_redirect_uri: denied });
    expect(afterDeny.json).toMatchObject({ link_session_id: s.link_session_id, resume: { approved: false } });
    expect((await linkApi('complete', { link_token: s.link_token, link_session_id: s.link_session_id, account_ids: ['0'] })).json.error.error_code).toBe('INVALID_FIELD');

    const allowed = await decide('allow');
    const resumed = await linkApi('session', { link_token: s.link_token, received_redirect_uri: allowed });
    expect(resumed.json).toMatchObject({ link_session_id: s.link_session_id, institution: { institution_id: 'ins_127287' }, resume: { approved: true, next: 'accounts' } });
    const done = await linkApi('complete', { link_token: s.link_token, link_session_id: s.link_session_id, account_ids: ['0'] });
    expect(done.json.public_token).toMatch(/^public-sandbox-/);

    const forged = await linkApi('session', { link_token: s.link_token, received_redirect_uri: 'http://localhost:3000/oauth-return?oauth_state_id=nope' });
    expect(forged.json.error.error_code).toBe('INVALID_FIELD');
    expect((await fetch(bankUrl)).status).toBe(404);
  });

  it('refuses OAuth without a redirect_uri on the link token', async () => {
    const s = await newSession();
    const start = await linkApi('oauth/start', { link_token: s.link_token, link_session_id: s.link_session_id, institution_id: 'ins_127287' });
    expect(start.json.error.error_message).toMatch(/redirect_uri/);
  });

  it('rejects bad input with Plaid-style errors, never a 500', async () => {
    const s = await newSession();
    expect((await linkApi('session', { link_token: 'link-sandbox-00000000-0000-0000-0000-000000000000' })).json.error.error_code).toBe('INVALID_LINK_TOKEN');
    expect((await linkApi('session', '{not json')).json.error.error_code).toBe('INVALID_BODY');
    expect((await linkApi('credentials', { link_token: s.link_token })).json.error.error_code).toBe('MISSING_FIELDS');
    expect((await linkApi('nope', {})).status).toBe(404);
    const other = await newSession();
    const crossed = await linkApi('credentials', { link_token: other.link_token, link_session_id: s.link_session_id, institution_id: 'ins_109508', username: 'user_good', password: 'pass_good' });
    expect(crossed.json.error.error_code).toBe('INVALID_FIELD');
  });
});
