import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './env';

const key = Buffer.alloc(32, 7).toString('base64');

describe('loadEnv', () => {
  it('defaults to the embedded emulator when no Plaid credentials are set', () => {
    const e = loadEnv({});
    expect(e.plaidEnv).toBe('emulator');
    expect(e.embedded).toBe(true);
    expect(e.PORT).toBe(3000);
    expect(e.appUrl).toBe('http://127.0.0.1:3000');
    expect(e.plaidWebhookUrl).toBe('http://127.0.0.1:3000/api/webhooks/plaid');
    expect(e.inngestMode).toBe('embedded');
  });

  it('switches to sandbox when Plaid credentials are present', () => {
    const e = loadEnv({ PLAID_CLIENT_ID: 'id', PLAID_SECRET: 's', ENCRYPTION_KEYS: `k1:${key}` });
    expect(e.plaidEnv).toBe('sandbox');
  });

  it("sends OAuth banks back to the app's own return page against the emulator, and guesses no redirect for real Plaid", () => {
    expect(loadEnv({}).plaidRedirectUri).toBe('http://127.0.0.1:3000/oauth-return');
    expect(loadEnv({ PORT: '4100' }).plaidRedirectUri).toBe('http://127.0.0.1:4100/oauth-return');
    expect(loadEnv({ PLAID_REDIRECT_URI: 'https://app.example/oauth' }).plaidRedirectUri).toBe('https://app.example/oauth');
    expect(loadEnv({ PLAID_CLIENT_ID: 'id', PLAID_SECRET: 's', ENCRYPTION_KEYS: `k1:${key}` }).plaidRedirectUri).toBeNull();
  });

  it('names the variable when a value is bad', () => {
    expect(() => loadEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadEnv({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => loadEnv({ PLAID_ENV: 'staging' })).toThrow(/PLAID_ENV/);
    expect(() => loadEnv({ SHUTDOWN_GRACE_MS: '-1' })).toThrow(/SHUTDOWN_GRACE_MS/);
  });

  it('gives a stopping server 10 s for what is in flight unless SHUTDOWN_GRACE_MS says otherwise', () => {
    expect(loadEnv({}).SHUTDOWN_GRACE_MS).toBe(10_000);
    expect(loadEnv({ SHUTDOWN_GRACE_MS: '2500' }).SHUTDOWN_GRACE_MS).toBe(2500);
  });

  it('requires Plaid credentials outside emulator mode', () => {
    expect(() => loadEnv({ PLAID_ENV: 'sandbox', ENCRYPTION_KEYS: `k1:${key}` })).toThrow(/PLAID_CLIENT_ID/);
    expect(() => loadEnv({ PLAID_ENV: 'sandbox', PLAID_CLIENT_ID: 'x', ENCRYPTION_KEYS: `k1:${key}` })).toThrow(/PLAID_SECRET/);
  });

  it('refuses a production config without encryption keys, an auth secret or an SMTP server', () => {
    const base = { PLAID_ENV: 'production', PLAID_CLIENT_ID: 'id', PLAID_SECRET: 's' };
    expect(() => loadEnv(base)).toThrow(EnvError);
    expect(() => loadEnv(base)).toThrow(/ENCRYPTION_KEYS/);
    expect(() => loadEnv({ ...base, ENCRYPTION_KEYS: `k1:${key}` })).toThrow(/BETTER_AUTH_SECRET/);
    expect(() => loadEnv({ ...base, ENCRYPTION_KEYS: `k1:${key}`, BETTER_AUTH_SECRET: 'x'.repeat(32) })).toThrow(/SMTP_URL/);
    expect(loadEnv({ ...base, ENCRYPTION_KEYS: `k1:${key}`, BETTER_AUTH_SECRET: 'x'.repeat(32), SMTP_URL: 'smtps://u:p@mail.example.com:465' }).plaidEnv).toBe('production');
    expect(() => loadEnv({ SMTP_URL: 'mail.example.com' })).toThrow(/SMTP_URL/);
  });

  it('requires encryption keys whenever a real database is used', () => {
    expect(() => loadEnv({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' })).toThrow(/ENCRYPTION_KEYS/);
  });

  it('parses encryption keys in order, the first one active, and rejects short keys', () => {
    const e = loadEnv({ ENCRYPTION_KEYS: `new:${key},old:${Buffer.alloc(32, 1).toString('base64')}` });
    expect(e.encryptionKeys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(() => loadEnv({ ENCRYPTION_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` })).toThrow(/32 bytes/);
    expect(() => loadEnv({ ENCRYPTION_KEYS: 'no-colon' })).toThrow(/ENCRYPTION_KEYS/);
  });

  it('defaults the retention days and the re-sync sweep, and names a bad value', () => {
    expect(loadEnv({})).toMatchObject({
      STREAM_OUTBOX_RETENTION_DAYS: 7,
      JOB_RUNS_RETENTION_DAYS: 14,
      API_CALLS_RETENTION_DAYS: 30,
      WEBHOOK_RETENTION_DAYS: 90,
      RESYNC_SWEEP_CRON: '15 * * * *',
      STALE_SYNC_HOURS: 6,
      RESYNC_SWEEP_LIMIT: 500,
    });
    expect(loadEnv({ WEBHOOK_RETENTION_DAYS: '365', STALE_SYNC_HOURS: '1.5' })).toMatchObject({ WEBHOOK_RETENTION_DAYS: 365, STALE_SYNC_HOURS: 1.5 });
    expect(() => loadEnv({ STREAM_OUTBOX_RETENTION_DAYS: '0' })).toThrow(/STREAM_OUTBOX_RETENTION_DAYS/);
    expect(() => loadEnv({ JOB_RUNS_RETENTION_DAYS: 'two weeks' })).toThrow(/JOB_RUNS_RETENTION_DAYS/);
    expect(() => loadEnv({ API_CALLS_RETENTION_DAYS: '-1' })).toThrow(/API_CALLS_RETENTION_DAYS/);
    expect(() => loadEnv({ RESYNC_SWEEP_LIMIT: '2.5' })).toThrow(/RESYNC_SWEEP_LIMIT/);
  });

  it('parses service API keys as name:key pairs', () => {
    const e = loadEnv({ SERVICE_API_KEYS: 'payments:abc123,ledger:def456' });
    expect(e.serviceApiKeys).toEqual([
      { name: 'payments', key: 'abc123' },
      { name: 'ledger', key: 'def456' },
    ]);
  });
});
