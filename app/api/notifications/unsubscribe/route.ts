import { getDb } from '../../../../db/client';
import { authSecret } from '../../../../server/auth/secret';
import { env } from '../../../../server/env';
import { readUnsubscribeToken } from '../../../../server/notifications/links';
import { setItemAlertsEmail } from '../../../../server/notifications/preferences';

/**
 * The List-Unsubscribe URL of every email. POST is the one-click unsubscribe (RFC 8058: mail
 * clients send `List-Unsubscribe=One-Click`) and the confirm button of /unsubscribe; GET only
 * shows that page, so a link scanner opening the URL unsubscribes nobody.
 */
export async function POST(request: Request) {
  const url = new URL(request.url);
  const userId = await readUnsubscribeToken(authSecret(env()), url.searchParams.get('token') ?? '');
  const fromPage = url.searchParams.get('via') === 'page';
  if (!userId) {
    return fromPage ? Response.redirect(new URL('/unsubscribe?problem=invalid', env().appUrl), 303) : new Response('This unsubscribe link is not valid.', { status: 400 });
  }
  await setItemAlertsEmail(getDb().db, userId, false);
  return fromPage ? Response.redirect(new URL('/unsubscribe?done=1', env().appUrl), 303) : new Response('You are unsubscribed from Tributary bank alerts.', { status: 200 });
}

export function GET(request: Request) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  return Response.redirect(new URL(`/unsubscribe?token=${encodeURIComponent(token)}`, env().appUrl), 303);
}
