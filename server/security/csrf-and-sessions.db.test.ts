import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { sessions } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { silentLog } from '../../test/support/harness';
import { type Auth, createAuth } from '../auth/auth';
import { DEMO_PASSWORD, seedDemoUsers } from '../auth/demo-users';
import { createInnerContext, loadSessionUser } from '../trpc/context';
import { handleTrpcRequest } from '../trpc/http-handler';

const origin = 'http://127.0.0.1:3000';
let h: DbHandle;
let auth: Auth;
beforeAll(async () => {
  h = await createTestDb();
  auth = createAuth(h.db, { secret: 'x'.repeat(40), baseURL: origin, rateLimit: { enabled: false }, sendEvents: async () => {} });
  await seedDemoUsers(h.db, auth);
});
afterAll(() => h.close());

async function signedInCookie() {
  const res = await auth.api.signInEmail({ body: { email: 'demo@tributary.local', password: DEMO_PASSWORD }, asResponse: true });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** The route's own handler (JSON guard + router), with a real cookie session lookup. */
async function trpc(path: string, init: RequestInit) {
  return handleTrpcRequest(new Request(`${origin}/api/trpc/${path}`, init), async (req) => {
    const found = await auth.api.getSession({ headers: req.headers });
    const user = found ? await loadSessionUser(h.db, found.user.id) : null;
    return createInnerContext({ db: h.db, session: user ? { user } : null, log: silentLog });
  });
}

describe('CSRF', () => {
  it('a cross-site form post cannot reach a tRPC mutation, even with the victim\'s cookie', async () => {
    const cookie = await signedInCookie();
    // What an HTML form on another site can send: urlencoded / multipart / text/plain, no custom headers.
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await trpc('link.recordEvent', { method: 'POST', headers: { cookie, 'content-type': type, origin: 'https://evil.example' }, body: 'json=%7B%7D' });
      expect(res.status, type).toBe(415);
    }
    // The same call as the app makes it (JSON) goes through.
    const ok = await trpc('link.recordEvent', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { kind: 'event', eventName: 'OPEN', metadata: {} } }),
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a mutation sent as GET', async () => {
    const cookie = await signedInCookie();
    const res = await trpc(`items.remove?input=${encodeURIComponent(JSON.stringify({ json: { itemId: crypto.randomUUID() } }))}`, { method: 'GET', headers: { cookie } });
    expect(res.status).toBe(405);
  });

  it('better-auth refuses sign-in and sign-out posted from a foreign origin', async () => {
    const cookie = await signedInCookie();
    const signOut = await auth.handler(new Request(`${origin}/api/auth/sign-out`, { method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' }));
    expect(signOut.status).toBe(403);
    const signIn = await auth.handler(
      new Request(`${origin}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'content-type': 'application/json', cookie },
        body: JSON.stringify({ email: 'demo@tributary.local', password: DEMO_PASSWORD }),
      }),
    );
    expect(signIn.status).toBe(403);
  });
});

describe('sessions', () => {
  it('an expired session is not a session', async () => {
    const cookie = await signedInCookie();
    const found = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(found?.user.email).toBe('demo@tributary.local');
    await h.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, found!.session.id));
    expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).toBeNull();
  });

  it('sessions last a week at most and the cookie is HttpOnly and SameSite', async () => {
    const res = await auth.api.signInEmail({ body: { email: 'demo@tributary.local', password: DEMO_PASSWORD }, asResponse: true });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(setCookie)?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(7 * 24 * 3600);
  });
});
