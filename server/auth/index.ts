import { getDb } from '../../db/client';
import { env } from '../env';
import { processContainer } from '../process/container';
import { type Auth, createAuth } from './auth';
import { logger } from '../logger';
import { processMailer } from '../notifications/app-notifier';
import { sendPasswordResetMail } from './password-reset';
import { authSecret } from './secret';

/** The process's better-auth instance, on the process database. */
export function auth(): Auth {
  const c = processContainer();
  if (!c.auth) {
    const e = env();
    c.auth = createAuth(getDb().db, {
      secret: authSecret(e),
      baseURL: e.appUrl,
      rateLimit: { enabled: e.NODE_ENV !== 'test', signInPerMinute: e.SIGN_IN_RATE_LIMIT_PER_MINUTE },
      lockout: { threshold: e.SIGN_IN_LOCKOUT_THRESHOLD, windowMinutes: 15, lockMinutes: e.SIGN_IN_LOCKOUT_MINUTES },
      // Not awaited: the answer (and its timing) is the same whether or not the email has an account.
      sendResetPassword: async ({ user, token }) => {
        void processMailer()
          .then((mailer) => sendPasswordResetMail(mailer, { secret: authSecret(e), appUrl: e.appUrl, to: user.email, name: user.name, token, now: new Date() }))
          .catch((err: unknown) => logger().error({ err }, 'Could not send a password-reset email'));
      },
    });
  }
  return c.auth;
}

export { createAuth, type Auth } from './auth';
