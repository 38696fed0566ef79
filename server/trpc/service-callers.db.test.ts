import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { runMigrations } from '../../db/migrate';
import { users } from '../../db/schema';
import { setEnvForTests } from '../../test/support/env';
import { createRequestContext, serviceForKey } from './context';
import { createCaller } from './routers/_app';
import { serviceProcedure, router } from './init';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'tributary-svc-'));
beforeAll(async () => {
  setEnvForTests({ DATA_DIR: dir, SERVICE_API_KEYS: 'payments:pay-key-123,ledger:ledger-key-456', LOG_LEVEL: 'silent' });
  await runMigrations(getDb());
  await getDb().db.insert(users).values({ id: 'acting-user', name: 'A', email: 'acting@example.com' });
});
afterAll(async () => {
  await getDb().close();
  rmSync(dir, { recursive: true, force: true });
});

const request = (headers: Record<string, string>) => new Request('http://127.0.0.1/api/trpc/me.get', { headers });

describe('internal service callers', () => {
  it('matches keys in constant time to their service name', () => {
    const keys = [{ name: 'payments', key: 'pay-key-123' }];
    expect(serviceForKey(keys, 'pay-key-123')).toEqual({ name: 'payments' });
    expect(serviceForKey(keys, 'pay-key-12')).toBeNull();
  });

  it('acts for the named user with a valid key', async () => {
    const ctx = await createRequestContext(request({ 'x-service-key': 'ledger-key-456', 'x-acting-user-id': 'acting-user' }));
    expect(ctx.service).toEqual({ name: 'ledger' });
    expect(await createCaller(ctx).me.get()).toMatchObject({ id: 'acting-user', email: 'acting@example.com' });
  });

  it('refuses a wrong key with UNAUTHORIZED and a missing acting user too', async () => {
    await expect(createRequestContext(request({ 'x-service-key': 'guess' }))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const ctx = await createRequestContext(request({ 'x-service-key': 'pay-key-123' }));
    await expect(createCaller(ctx).me.get()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const ghost = await createRequestContext(request({ 'x-service-key': 'pay-key-123', 'x-acting-user-id': 'nobody' }));
    await expect(createCaller(ghost).me.get()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('keeps service-only procedures from browsers and support from services', async () => {
    const probe = router({ ping: serviceProcedure.query(({ ctx }) => ctx.service.name) });
    const svc = await createRequestContext(request({ 'x-service-key': 'pay-key-123', 'x-acting-user-id': 'acting-user' }));
    expect(await probe.createCaller(svc).ping()).toBe('payments');
    const anonymous = await createRequestContext(request({}));
    await expect(probe.createCaller(anonymous).ping()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await getDb().db.update(users).set({ role: 'support' });
    await expect(createCaller(svc).support.audit.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
