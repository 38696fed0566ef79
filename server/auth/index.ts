import { getDb } from '../../db/client';
import { env } from '../env';
import { type Auth, createAuth } from './auth';
import { authSecret } from './secret';

const holder = globalThis as unknown as { __tributaryAuth?: Auth };

/** The process's better-auth instance, on the process database. */
export function auth(): Auth {
  if (!holder.__tributaryAuth) {
    const e = env();
    holder.__tributaryAuth = createAuth(getDb().db, {
      secret: authSecret(e),
      baseURL: e.appUrl,
      rateLimit: { enabled: e.NODE_ENV !== 'test', signInPerMinute: e.SIGN_IN_RATE_LIMIT_PER_MINUTE },
      lockout: { threshold: e.SIGN_IN_LOCKOUT_THRESHOLD, windowMinutes: 15, lockMinutes: e.SIGN_IN_LOCKOUT_MINUTES },
    });
  }
  return holder.__tributaryAuth;
}

export { createAuth, type Auth } from './auth';
