import { APIError, createAuthMiddleware } from 'better-auth/api';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { signInLockouts } from '../../db/schema';
import type { RateLimit } from '../rate-limit';
import { limitSignInsByIp } from './sign-in-limit';

export interface LockoutPolicy {
  /** Failed sign-ins for one email, within the window, that lock it. */
  threshold: number;
  windowMinutes: number;
  lockMinutes: number;
}

const minutes = (n: number) => n * 60_000;
const normalise = (email: unknown) => (typeof email === 'string' ? email.trim().toLowerCase() : null);

export async function lockedUntil(db: Db, email: string, now = new Date()): Promise<Date | null> {
  const [row] = await db.select({ until: signInLockouts.lockedUntil }).from(signInLockouts).where(eq(signInLockouts.email, email));
  return row?.until && row.until > now ? row.until : null;
}

/** Counts one failure in the current window (a stale window starts over); the threshold-th locks. Returns the count. */
export async function recordFailure(db: Db, email: string, policy: LockoutPolicy, now = new Date()): Promise<number> {
  const windowStart = new Date(now.getTime() - minutes(policy.windowMinutes));
  const lockUntil = new Date(now.getTime() + minutes(policy.lockMinutes));
  // ISO strings with casts: postgres.js binds no Date inside a raw sql template.
  const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const fresh = sql`${signInLockouts.windowStartedAt} < ${ts(windowStart)}`;
  const count = sql`case when ${fresh} then 1 else ${signInLockouts.failures} + 1 end`;
  const [row] = await db
    .insert(signInLockouts)
    .values({ email, failures: 1, windowStartedAt: now, lockedUntil: policy.threshold <= 1 ? lockUntil : null, updatedAt: now })
    .onConflictDoUpdate({
      target: signInLockouts.email,
      set: {
        failures: count,
        windowStartedAt: sql`case when ${fresh} then ${ts(now)} else ${signInLockouts.windowStartedAt} end`,
        lockedUntil: sql`case when ${count} >= ${policy.threshold} then ${ts(lockUntil)} else ${signInLockouts.lockedUntil} end`,
        updatedAt: now,
      },
    })
    .returning({ failures: signInLockouts.failures });
  return row?.failures ?? 1;
}

/** From this failure on, a failed sign-in tells the person how many tries are left before the lock. */
export const WARN_FROM_FAILURE = 3;

export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.delete(signInLockouts).where(eq(signInLockouts.email, email));
}

/**
 * better-auth hooks on email sign-in: a locked email is refused before its password is checked
 * (429, with when to come back); a failed attempt counts; a success clears the count. Per account,
 * so guessing from many addresses does not get around it (the per-IP limit, `perIp`, covers the reverse).
 */
export function lockoutHooks(db: Db, policy: LockoutPolicy, perIp: RateLimit | null = null) {
  return {
    before: createAuthMiddleware(async (ctx) => {
      // The per-IP limit first (server/auth/sign-in-limit.ts): it covers sign-up too.
      if (perIp) await limitSignInsByIp(db, perIp, ctx);
      if (ctx.path !== '/sign-in/email') return;
      const email = normalise((ctx.body as { email?: unknown } | undefined)?.email);
      const until = email ? await lockedUntil(db, email) : null;
      if (until) {
        const wait = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
        throw new APIError('TOO_MANY_REQUESTS', { message: `Too many failed sign-ins for this account. Try again in ${wait} minute${wait === 1 ? '' : 's'}.` });
      }
    }),
    after: createAuthMiddleware(async (ctx) => {
      if (ctx.path !== '/sign-in/email') return;
      const email = normalise((ctx.body as { email?: unknown } | undefined)?.email);
      if (!email) return;
      const returned = ctx.context.returned;
      if (returned instanceof APIError) {
        if (returned.statusCode !== 401) return;
        const failures = await recordFailure(db, email, policy);
        // The same answer whether or not the account exists; from the 3rd failure on it carries
        // how many tries are left (0: this one locked it) and for how long a lock lasts.
        if (failures >= WARN_FROM_FAILURE) {
          throw new APIError('UNAUTHORIZED', {
            message: returned.body?.message ?? 'Invalid email or password',
            code: returned.body?.code ?? 'INVALID_EMAIL_OR_PASSWORD',
            attemptsLeft: Math.max(0, policy.threshold - failures),
            lockMinutes: policy.lockMinutes,
          });
        }
      } else {
        await clearFailures(db, email);
      }
    }),
  };
}
