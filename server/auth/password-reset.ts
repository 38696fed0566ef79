import { createHash, randomUUID } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Db } from '../../db/client';
import { verifications } from '../../db/schema';
import type { Mailer } from '../notifications/mailer';
import { renderAccountEmail } from '../notifications/templates/account-email';

/**
 * Password reset by email. better-auth keeps the single-use token (a random id in `verifications`,
 * spent by its /reset-password, expiring after RESET_TTL_MINUTES); the link in the mail carries it
 * inside a token signed with a key derived from the auth secret, with the same expiry, so a link
 * that was altered or is too old is told apart before anything is spent.
 */
export const RESET_TTL_MINUTES = 60;
const issuer = 'tributary-password-reset';
const key = (secret: string) => createHash('sha256').update(`password-reset:${secret}`).digest();

export async function passwordResetUrl(o: { secret: string; appUrl: string; token: string; now: Date }): Promise<string> {
  const signed = await new SignJWT({ t: o.token })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(issuer)
    .setIssuedAt(Math.floor(o.now.getTime() / 1000))
    .setExpirationTime(Math.floor(o.now.getTime() / 1000) + RESET_TTL_MINUTES * 60)
    .sign(key(o.secret));
  return `${o.appUrl}/reset-password?link=${signed}`;
}

export type ResetLinkCheck = { ok: true; token: string } | { ok: false; problem: 'invalid' | 'expired' | 'used' };

/** What a reset link is worth now: its token if signed, in time and not yet spent. */
export async function checkPasswordResetLink(db: Db, o: { secret: string; link: string; now: Date }): Promise<ResetLinkCheck> {
  let token: string;
  try {
    const { payload } = await jwtVerify(o.link, key(o.secret), { issuer, algorithms: ['HS256'], currentDate: o.now });
    if (typeof payload.t !== 'string' || !payload.t) return { ok: false, problem: 'invalid' };
    token = payload.t;
  } catch (err) {
    return { ok: false, problem: err instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
  }
  const [row] = await db
    .select({ id: verifications.id })
    .from(verifications)
    .where(and(eq(verifications.identifier, `reset-password:${token}`), gt(verifications.expiresAt, o.now)));
  return row ? { ok: true, token } : { ok: false, problem: 'used' };
}

/** The reset email, through the app's mailer and templates. */
export async function sendPasswordResetMail(
  mailer: Mailer,
  o: { secret: string; appUrl: string; to: string; name: string; token: string; now: Date },
): Promise<void> {
  const url = await passwordResetUrl(o);
  const greeting = o.name.trim() ? `Hi ${o.name.trim()},` : 'Hi,';
  const { html, text } = await renderAccountEmail({
    preview: 'Choose a new password for Tributary',
    headline: 'Choose a new password',
    paragraphs: [
      `${greeting} someone — hopefully you — asked to reset the password of your Tributary account.`,
      `The button below lets you choose a new one. It works once, for the next ${RESET_TTL_MINUTES} minutes. After the change you sign in again on every device.`,
    ],
    button: 'Choose a new password',
    buttonUrl: url,
    why: "You get this email because a password reset was asked for on Tributary's sign-in page with this address. If it wasn't you, ignore it: your password stays as it is.",
  });
  const host = new URL(o.appUrl).hostname || 'tributary.local';
  await mailer.send({ to: o.to, subject: 'Reset your Tributary password', html, text, messageId: `<reset-${randomUUID()}@${host}>` });
}
