import { appEvent, userSignedIn } from '../events';
import { betterAuth } from 'better-auth';
import { eq } from 'drizzle-orm';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { nextCookies } from 'better-auth/next-js';
import type { Db } from '../../db/client';
import { authAccounts, sessions, users, verifications } from '../../db/schema';
import type { SendEvents } from '../deps';
import { type Logger, logger } from '../logger';
import { type LockoutPolicy, lockoutHooks } from './lockout';
import { RESET_TTL_MINUTES } from './password-reset';

const DEFAULT_LOCKOUT: LockoutPolicy = { threshold: 5, windowMinutes: 15, lockMinutes: 15 };

export interface AuthOptions {
  secret: string;
  baseURL: string;
  rateLimit?: { enabled: boolean; window?: number; max?: number; signInPerMinute?: number };
  /** Where `user/signed-in` goes (default: the app's Inngest client). */
  sendEvents?: SendEvents;
  /** Temporary lockout of an email after repeated failed sign-ins. */
  lockout?: LockoutPolicy;
  log?: Logger;
  /** Sends the password-reset email (better-auth's single-use token); without it, reset is off. */
  sendResetPassword?: (data: { user: { email: string; name: string }; token: string }) => Promise<void>;
}

/** Sign-in must not wait on (or fail because of) the event: a slow or broken sender is logged and skipped. */
const SIGNED_IN_SEND_TIMEOUT_MS = 2000;

const sendThroughInngest: SendEvents = async (events) => {
  // Imported on first use: the client module reads the environment and wires the runner on load.
  const { inngest } = await import('../../inngest/client');
  await inngest.send(events);
};

/** Sends `user/signed-in` (login-freshness checks the person's items); never throws. */
export async function announceSignIn(send: SendEvents, userId: string, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      send([appEvent(userSignedIn, { userId })]),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${SIGNED_IN_SEND_TIMEOUT_MS} ms`)), SIGNED_IN_SEND_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    log.warn({ err, user_id: userId }, 'Could not send user/signed-in; sign-in goes on');
  } finally {
    clearTimeout(timer);
  }
}

/** better-auth on our drizzle database: email + password, sessions in Postgres, roles on users. */
export function createAuth(db: Db, options: AuthOptions) {
  return betterAuth({
    secret: options.secret,
    baseURL: options.baseURL,
    trustedOrigins: [options.baseURL, options.baseURL.replace('127.0.0.1', 'localhost')],
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: authAccounts, verification: verifications },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      autoSignIn: true,
      sendResetPassword: options.sendResetPassword ? ({ user, token }) => options.sendResetPassword!({ user, token }) : undefined,
      resetPasswordTokenExpiresIn: RESET_TTL_MINUTES * 60,
      // A new password signs every device out: whoever knew the old one loses their session.
      revokeSessionsOnPasswordReset: true,
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    databaseHooks: {
      // A new session is a sign-in (sign-up with autoSignIn included). better-auth runs this after
      // its transaction commits, so the send cannot hold a database lock.
      session: {
        create: {
          after: async (session) => {
            // Lasting "last seen": session rows vanish on sign-out and expiry, and item hygiene
            // must not mistake an active user for an inactive one.
            await db.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, session.userId));
            await announceSignIn(options.sendEvents ?? sendThroughInngest, session.userId, options.log ?? logger());
          },
        },
      },
    },
    user: {
      additionalFields: {
        // input: false — a person signing up can never choose their own role or status.
        role: { type: 'string', required: false, defaultValue: 'user', input: false },
        status: { type: 'string', required: false, defaultValue: 'PENDING', input: false },
      },
    },
    rateLimit: {
      enabled: options.rateLimit?.enabled ?? true,
      window: options.rateLimit?.window ?? 60,
      max: options.rateLimit?.max ?? 100,
      // better-auth's own limiter is a per-process backstop for every path; sign-in and sign-up
      // have a per-IP limit in Postgres instead (the hooks below), one for all instances.
      storage: 'memory',
      // Sign-in and sign-up count per IP in Postgres (one limit for all instances); a reset request
      // per IP here, per process.
      customRules: {
        '/sign-in/email': false,
        '/sign-up/email': false,
        '/request-password-reset': { window: 60, max: options.rateLimit?.signInPerMinute ?? 10 },
      },
    },
    // Origin checks on always: better-auth would skip them when NODE_ENV=test, and the CSRF tests
    // must exercise what production runs.
    advanced: { database: { generateId: () => crypto.randomUUID() }, disableOriginCheck: false },
    hooks: lockoutHooks(
      db,
      options.lockout ?? DEFAULT_LOCKOUT,
      options.rateLimit?.enabled === false ? null : { limit: options.rateLimit?.signInPerMinute ?? 10, windowMs: 60_000 },
    ),
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;
