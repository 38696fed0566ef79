import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { nextCookies } from 'better-auth/next-js';
import type { Db } from '../../db/client';
import { authAccounts, sessions, users, verifications } from '../../db/schema';

export interface AuthOptions {
  secret: string;
  baseURL: string;
  /** Sign-in attempts per minute per IP before better-auth answers 429. */
  rateLimit?: { enabled: boolean; window?: number; max?: number };
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
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: true },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
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
      storage: 'memory',
      customRules: { '/sign-in/email': { window: 60, max: 10 } },
    },
    advanced: { database: { generateId: () => crypto.randomUUID() } },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;
