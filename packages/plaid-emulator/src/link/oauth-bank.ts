import type { LinkBackend } from './backend';
import type { LinkSessions } from './sessions';

/**
 * The OAuth institution's own consent page, as the bank would show it after Link sent the whole
 * page there: Allow or Cancel. Either way the bank returns to the link token's `redirect_uri`
 * with `?oauth_state_id=...`; the resumed Link carries on (allowed) or reports CLOSE_OAUTH.
 *
 *   GET /link/oauth/authorize?oauth_state_id=...                  the consent page
 *   GET /link/oauth/authorize?oauth_state_id=...&decision=allow   the decision (allow | deny)
 *
 * The decision is a GET because the emulator's core sends every POST outside `/link/api/` to the
 * Plaid API router; an emulated bank needs no CSRF protection.
 */
const PATH = '/link/oauth/authorize';
const CSP = "default-src 'none'; style-src 'self'; base-uri 'none'";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(status: number, body: string): Response {
  return new Response(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Bank sign-in (Plaid emulator)</title>
<link rel="stylesheet" href="../ui.css"></head><body><div class="backdrop"><main class="modal">${body}</main></div></body></html>`, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CSP },
  });
}

const unknownRequest = () => html(404, '<h1>Unknown request</h1><p>This sign-in request is unknown or has expired. Go back and start again.</p>');

export function createOauthBank(backend: LinkBackend, sessions: LinkSessions) {
  function lookup(stateId: string | null) {
    const session = sessions.oauthSession(stateId);
    if (!session?.oauth || session.completed) return null;
    try {
      const view = backend.describeLinkToken(session.linkToken);
      const inst = backend.institutions().find((i) => i.institution_id === session.institutionId);
      return view.redirectUri && inst ? { session, oauth: session.oauth, view, inst, redirectUri: view.redirectUri } : null;
    } catch {
      return null; // the link token expired meanwhile
    }
  }

  return async function handleOauthBank(req: Request, path: string): Promise<Response | null> {
    if (path !== PATH) return null;
    if (req.method !== 'GET' && req.method !== 'HEAD') return new Response(null, { status: 405, headers: { allow: 'GET' } });
    const query = new URL(req.url).searchParams;
    const found = lookup(query.get('oauth_state_id'));
    if (!found) return unknownRequest();
    const { inst, view, oauth } = found;
    const decision = query.get('decision');
    if (decision === 'allow' || decision === 'deny') {
      oauth.approved = decision === 'allow';
      const back = new URL(found.redirectUri);
      back.searchParams.set('oauth_state_id', oauth.stateId);
      return new Response(null, { status: 303, headers: { location: back.toString(), 'cache-control': 'no-store' } });
    }
    const form = (value: string, label: string, cls: string) => `<form method="get" action="authorize">
<input type="hidden" name="oauth_state_id" value="${esc(oauth.stateId)}"><input type="hidden" name="decision" value="${value}">
<button type="submit" class="${cls}">${label}</button></form>`;
    return html(200, `<h1>${esc(inst.name)}</h1>
<p>${esc(view.clientName)} would like to access your ${esc(inst.name)} accounts through Plaid.</p>
${form('allow', 'Allow', 'primary')}${form('deny', 'Cancel', 'secondary')}
<p class="hint">Sandbox: no password needed. Allow links the accounts; Cancel goes back without linking.</p>`);
  };
}
