import { getDb } from '../../../../db/client';
import { authSecret } from '../../../../server/auth/secret';
import { env } from '../../../../server/env';
import { readUnsubscribeToken } from '../../../../server/notifications/links';
import { setItemAlertsEmail } from '../../../../server/notifications/preferences';

/** A small page in plain words (never JSON), with a way on to the email preferences. */
function answerPage(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Tributary</title></head>
<body style="font-family:system-ui,sans-serif;color:#17202a;background:#f6f7f9;margin:0;padding:2rem 1rem"><main style="max-width:420px;margin:0 auto;background:#fff;border:1px solid #d9dee5;border-radius:10px;padding:1.5rem">
<h1 style="font-size:1.4rem;margin:0 0 1rem">${title}</h1><p>${body}</p><p><a href="/settings/notifications" style="color:#0b5cad">Email preferences</a></p></main></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

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
    // A mail client's one-click POST shows nobody this answer; a person who posts it gets a page.
    return fromPage ? Response.redirect(new URL('/unsubscribe?problem=invalid', env().appUrl), 303) : answerPage(400, "This unsubscribe link doesn't work", 'It may have been cut short when it was copied. You can turn emails off in your email preferences after signing in.');
  }
  await setItemAlertsEmail(getDb().db, userId, false);
  return fromPage ? Response.redirect(new URL('/unsubscribe?done=1', env().appUrl), 303) : answerPage(200, "You're unsubscribed", "We won't email you when a bank needs attention. You'll still see it in the app when you sign in.");
}

export function GET(request: Request) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  return Response.redirect(new URL(`/unsubscribe?token=${encodeURIComponent(token)}`, env().appUrl), 303);
}
