import { env } from '../../../../../server/env';
import { embeddedInbox, usesEmbeddedSmtp } from '../../../../../server/notifications/app-notifier';

/** One received email's HTML part, for the mailbox page's sandboxed frame (emulator mode only). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (env().plaidEnv !== 'emulator' || !usesEmbeddedSmtp()) return new Response('Not found', { status: 404 });
  const { id } = await params;
  const mail = (await embeddedInbox()).messages().find((m) => String(m.id) === id);
  if (!mail?.html) return new Response('Not found', { status: 404 });
  return new Response(mail.html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
      'x-content-type-options': 'nosniff',
    },
  });
}
