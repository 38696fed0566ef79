import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { signInLockouts } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { type Auth, createAuth } from './auth';
import { DEMO_PASSWORD, seedDemoUsers } from './demo-users';

let h: DbHandle;
let auth: Auth;
beforeAll(async () => {
  h = await createTestDb();
  auth = createAuth(h.db, {
    secret: 'x'.repeat(40),
    baseURL: 'http://127.0.0.1:3000',
    rateLimit: { enabled: false },
    sendEvents: async () => {},
    lockout: { threshold: 3, windowMinutes: 15, lockMinutes: 15 },
  });
  await seedDemoUsers(h.db, auth);
});
afterAll(() => h.close());

const signIn = (email: string, password: string) =>
  auth.api.signInEmail({ body: { email, password } }).then(
    () => 200,
    (e: { statusCode?: number }) => e.statusCode ?? 500,
  );

describe('account lockout', () => {
  it('locks an email after repeated failures, refusing even the right password, and says when to come back', async () => {
    const email = 'demo@tributary.local';
    expect(await signIn(email, 'wrong-1')).toBe(401);
    expect(await signIn(email, 'wrong-2')).toBe(401);
    expect(await signIn(email, 'wrong-3')).toBe(401);
    const refused = await auth.api.signInEmail({ body: { email, password: DEMO_PASSWORD } }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 429, message: expect.stringMatching(/Try again in 15 minutes/) });
    // Case and spaces do not get around it.
    expect(await signIn(' DEMO@Tributary.local ', DEMO_PASSWORD)).toBe(429);
    // Once the lock has passed, the right password works and clears the count.
    await h.db.update(signInLockouts).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(signInLockouts.email, email));
    expect(await signIn(email, DEMO_PASSWORD)).toBe(200);
    expect(await h.db.select().from(signInLockouts).where(eq(signInLockouts.email, email))).toEqual([]);
  });

  it('lets a user who fails less often than the threshold keep signing in, and a success resets the count', async () => {
    const email = 'support@tributary.local';
    expect(await signIn(email, 'typo-1')).toBe(401);
    expect(await signIn(email, 'typo-2')).toBe(401);
    expect(await signIn(email, DEMO_PASSWORD)).toBe(200);
    expect(await signIn(email, 'typo-3')).toBe(401);
    expect(await signIn(email, 'typo-4')).toBe(401);
    expect(await signIn(email, DEMO_PASSWORD)).toBe(200);
  });

  it('counts unknown emails the same way (no hint whether an account exists)', async () => {
    for (let i = 0; i < 3; i++) expect(await signIn('nobody@example.com', 'guess')).toBe(401);
    expect(await signIn('nobody@example.com', 'guess')).toBe(429);
  });

  it('from the 3rd failure on, says how many tries are left before the lock, for known and unknown emails alike', async () => {
    const strict = createAuth(h.db, {
      secret: 'x'.repeat(40),
      baseURL: 'http://127.0.0.1:3000',
      rateLimit: { enabled: false },
      sendEvents: async () => {},
      lockout: { threshold: 5, windowMinutes: 15, lockMinutes: 15 },
    });
    const attempt = (email: string) => strict.api.signInEmail({ body: { email, password: 'wrong' } }).catch((e: unknown) => e as { statusCode: number; body?: Record<string, unknown> });
    await strict.api.signUpEmail({ body: { email: 'known-warn@example.com', password: 'right-password-1', name: 'Known' } });
    for (const email of ['known-warn@example.com', 'nobody-warn@example.com']) {
      const seen = [];
      for (let i = 0; i < 6; i++) {
        const e = (await attempt(email)) as { statusCode: number; body?: Record<string, unknown> };
        seen.push([e.statusCode, e.body?.attemptsLeft ?? null]);
      }
      expect(seen).toEqual([[401, null], [401, null], [401, 2], [401, 1], [401, 0], [429, null]]);
    }
  });
});
