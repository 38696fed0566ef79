import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client';
import { openDb } from '../../db/client';
import * as schema from '../../db/schema';
import { type Auth, createAuth } from '../../server/auth/auth';
import type { AppError } from '../../server/errors';
import { LINK_TOKENS_PER_USER } from '../../server/items/link-token';
import { refreshItemNow } from '../../server/items/refresh-now';
import { countHit, pruneRateLimits } from '../../server/rate-limit';
import { createHarness, type Harness } from '../support/harness';

/**
 * Two app instances on one database: each its own pool (its own postgres.js client on
 * TEST_DATABASE_URL's database; on PGlite, a second drizzle instance on the one engine), its own
 * better-auth, its own module-free limiter state. Every limit must hold for the two combined.
 */
const origin = 'http://127.0.0.1:3000';
let h: Harness;
let second: { db: Db; close(): Promise<void> };

beforeAll(async () => {
  h = await createHarness();
  const url = h.dbUrl;
  second = url ? openDb({ url }) : { db: drizzle((h.db as unknown as { $client: never }).$client, { schema }) as unknown as Db, close: async () => {} };
});
afterAll(async () => {
  await second.close();
  await h.close();
});

const instances = () => [h.db, second.db];

/**
 * Limits count per fixed minute: a burst that straddles a minute's edge would rightly get a fresh
 * window. Starts a burst with at least 30 s of its minute left (on a loaded machine a burst of a
 * dozen sign-ins has taken several seconds).
 */
async function awayFromWindowEdge() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 30_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

function authFor(db: Db, perMinute: number): Auth {
  return createAuth(db, {
    secret: 'x'.repeat(40),
    baseURL: origin,
    rateLimit: { enabled: true, signInPerMinute: perMinute },
    lockout: { threshold: 1000, windowMinutes: 15, lockMinutes: 15 },
    sendEvents: async () => {},
  });
}

const signIn = (auth: Auth, ip: string) =>
  auth.handler(
    new Request(`${origin}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, 'x-forwarded-for': ip },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' }),
    }),
  );

describe('rate limits shared by two app instances on one database', { timeout: 90_000 }, () => {
  it('sign-in: the per-IP limit holds for both instances together, concurrently', async () => {
    const [a, b] = instances().map((db) => authFor(db!, 4));
    const ip = '203.0.113.7';
    await awayFromWindowEdge();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(i % 2 ? a! : b!, ip)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8);
    // Either instance now refuses that address, and neither refuses another one.
    expect((await signIn(a!, ip)).status).toBe(429);
    expect((await signIn(b!, ip)).status).toBe(429);
    expect((await signIn(b!, '198.51.100.9')).status).toBe(401);
  });

  it('Link tokens: a person gets the limit once, not once per instance', async () => {
    // Each instance its own copy of the app's modules, as two processes would have: nothing kept
    // in a module (as the old in-process limiter was) can be shared between them.
    const first = await import('../../server/items/link-token');
    vi.resetModules();
    const other = await import('../../server/items/link-token');
    expect(other.createLinkToken).not.toBe(first.createLinkToken);
    const stacks = [
      (userId: string) => first.createLinkToken(h.db, h.deps, { userId, mode: 'new' }),
      (userId: string) => other.createLinkToken(second.db, h.deps, { userId, mode: 'new' }),
    ];
    const user = await h.createUser();
    const n = LINK_TOKENS_PER_USER.limit + 6;
    await awayFromWindowEdge();
    const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => stacks[i % 2]!(user.id)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(ok).toHaveLength(LINK_TOKENS_PER_USER.limit);
    expect(refused).toHaveLength(6);
    for (const err of refused) {
      expect((err as AppError).code).toBe('TOO_MANY_REQUESTS');
    }
    // Another person is not affected.
    const someoneElse = await h.createUser();
    await expect(stacks[1]!(someoneElse.id)).resolves.toMatchObject({ mode: 'new' });
  });

  it('refresh-now: one turn per item across instances', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    const itemId = item.id;
    const results = await Promise.allSettled(instances().flatMap((db) => [db, db]).map((db) => refreshItemNow(db, h.deps, { userId: user.id, itemId })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect(((r as PromiseRejectedResult).reason as AppError).code).toBe('TOO_MANY_REQUESTS');
  });

  it('counts into the current window only and prunes windows past their keep', async () => {
    const rule = { limit: 2, windowMs: 60_000 };
    const t = new Date('2026-01-01T10:00:30Z');
    expect((await countHit(h.db, 'test:window', rule, t)).hits).toBe(1);
    expect((await countHit(second.db, 'test:window', rule, new Date(t.getTime() + 20_000))).hits).toBe(2);
    // The next minute is a new window.
    const next = await countHit(h.db, 'test:window', rule, new Date(t.getTime() + 40_000));
    expect(next).toEqual({ hits: 1, resetAt: new Date('2026-01-01T10:02:00Z') });
    expect(await pruneRateLimits(second.db, new Date('2026-01-01T10:01:00Z'))).toBe(1);
    expect((await countHit(h.db, 'test:window', rule, new Date(t.getTime() + 45_000))).hits).toBe(2);
  });
});
