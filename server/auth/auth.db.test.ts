import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { sessions, users } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { type Auth, createAuth } from './auth';
import { DEMO_PASSWORD, seedDemoUsers } from './demo-users';

let h: DbHandle;
let auth: Auth;
beforeAll(async () => {
  h = await createTestDb();
  auth = createAuth(h.db, { secret: 'x'.repeat(40), baseURL: 'http://127.0.0.1:3000', rateLimit: { enabled: false }, sendEvents: async () => {} });
});
afterAll(() => h.close());

describe('auth', () => {
  it('seeds the two demo accounts with their roles, idempotently', async () => {
    await seedDemoUsers(h.db, auth);
    await seedDemoUsers(h.db, auth);
    const rows = await h.db.select({ email: users.email, role: users.role, status: users.status }).from(users);
    expect(rows.sort((a, b) => a.email.localeCompare(b.email))).toEqual([
      { email: 'demo@tributary.local', role: 'user', status: 'PENDING' },
      { email: 'support@tributary.local', role: 'support', status: 'PENDING' },
    ]);
    const signedIn = await auth.api.signInEmail({ body: { email: 'support@tributary.local', password: DEMO_PASSWORD } });
    expect(signedIn.user.email).toBe('support@tributary.local');
    // Every sign-in records a lasting last-seen time (item hygiene reads it).
    const [seen] = await h.db.select({ at: users.lastSeenAt }).from(users).where(eq(users.email, 'support@tributary.local'));
    expect(Date.now() - seen!.at!.getTime()).toBeLessThan(60_000);
  });

  it('refuses a wrong password and stores no session for it', async () => {
    const before = (await h.db.select().from(sessions)).length;
    await expect(
      auth.api.signInEmail({ body: { email: 'demo@tributary.local', password: 'wrong-password' } }),
    ).rejects.toMatchObject({ statusCode: 401 });
    expect((await h.db.select().from(sessions)).length).toBe(before);
  });

  it('stores sessions in the database and resolves them from the cookie', async () => {
    const res = await auth.api.signInEmail({
      body: { email: 'demo@tributary.local', password: DEMO_PASSWORD },
      asResponse: true,
    });
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const found = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(found?.user.email).toBe('demo@tributary.local');
    const [row] = await h.db.select().from(sessions).where(eq(sessions.id, found!.session.id));
    expect(row?.userId).toBe(found!.user.id);
  });

  it('never lets a person choose their own role at sign-up', async () => {
    const attempt = auth.api
      .signUpEmail({ body: { email: 'sneaky@example.com', password: 'long-enough-pw', name: 'S', role: 'support' } as never })
      .then(() => 'created' as const, () => 'refused' as const);
    const outcome = await attempt;
    const [row] = await h.db.select({ role: users.role }).from(users).where(eq(users.email, 'sneaky@example.com'));
    if (outcome === 'created') expect(row?.role).toBe('user');
    else expect(row).toBeUndefined();
  });
});
