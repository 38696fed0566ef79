import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Db, Tx } from '../../db/client';
import { notificationLinks, notifications } from '../../db/schema';

/**
 * The links in emails. Each is a signed token (HS256, a key derived from the app's auth secret)
 * naming one purpose and one row; the button's row makes it usable once, and the token's `exp`
 * makes it expire. No session token ever travels in a URL: following the link still needs the
 * person's own session (sign-in first if needed).
 */
const issuer = 'tributary-notifications';
const keyFor = (secret: string, purpose: string) => createHash('sha256').update(`${purpose}:${secret}`).digest();

export type ButtonPurpose = 'update_mode' | 'link_again' | 'link_another_bank';

/** Makes the single-use button link for one notification. */
export async function createButtonLink(
  db: Db | Tx,
  o: { secret: string; appUrl: string; notificationId: string; userId: string; itemId: string; purpose: ButtonPurpose; ttlHours: number; now: Date },
): Promise<string> {
  const expiresAt = new Date(o.now.getTime() + o.ttlHours * 3_600_000);
  const [row] = await db
    .insert(notificationLinks)
    .values({ notificationId: o.notificationId, userId: o.userId, itemId: o.itemId, purpose: o.purpose, expiresAt })
    .returning({ id: notificationLinks.id });
  const token = await new SignJWT({ p: 'button' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(issuer)
    .setSubject(row!.id)
    .setIssuedAt(Math.floor(o.now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(keyFor(o.secret, 'button'));
  return `${o.appUrl}/n/${token}`;
}

export type OpenLinkResult =
  | { ok: true; itemId: string; purpose: ButtonPurpose }
  | { ok: false; problem: 'invalid' | 'expired' | 'used' | 'other_user' };

/**
 * Follows a button link for the signed-in person: checks the signature, the expiry and that it is
 * theirs, marks it used and the notification opened. A second use, an old link or someone else's
 * says which.
 */
export async function openButtonLink(db: Db, o: { secret: string; token: string; userId: string; now: Date }): Promise<OpenLinkResult> {
  let linkId: string;
  try {
    const { payload } = await jwtVerify(o.token, keyFor(o.secret, 'button'), {
      issuer,
      algorithms: ['HS256'],
      currentDate: o.now,
    });
    if (payload.p !== 'button' || !payload.sub) return { ok: false, problem: 'invalid' };
    linkId = payload.sub;
  } catch (err) {
    return { ok: false, problem: err instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
  }
  return db.transaction(async (tx) => {
    const [link] = await tx.select().from(notificationLinks).where(eq(notificationLinks.id, linkId)).for('update');
    if (!link) return { ok: false, problem: 'invalid' } as const;
    if (link.userId !== o.userId) return { ok: false, problem: 'other_user' } as const;
    if (link.usedAt) return { ok: false, problem: 'used' } as const;
    if (link.expiresAt <= o.now) return { ok: false, problem: 'expired' } as const;
    await tx.update(notificationLinks).set({ usedAt: o.now }).where(eq(notificationLinks.id, link.id));
    await tx
      .update(notifications)
      .set({ openedAt: o.now })
      .where(and(eq(notifications.id, link.notificationId), isNull(notifications.openedAt)));
    return { ok: true, itemId: link.itemId, purpose: link.purpose } as const;
  });
}

/** The one-click unsubscribe token for a person (no expiry: old emails must still unsubscribe). */
export function unsubscribeToken(secret: string, userId: string): Promise<string> {
  return new SignJWT({ p: 'unsubscribe' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer).setSubject(userId).sign(keyFor(secret, 'unsubscribe'));
}

/** The person an unsubscribe token names, or null if it is not one of ours. */
export async function readUnsubscribeToken(secret: string, token: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret, 'unsubscribe'), { issuer, algorithms: ['HS256'] });
    return payload.p === 'unsubscribe' && payload.sub ? payload.sub : null;
  } catch {
    return null;
  }
}
