import type { LinkBackend } from './backend';
import { createLinkApi } from './ui-api';
import { createOauthBank } from './oauth-bank';
import { linkInitializeJs, UI_JS } from './scripts';
import { LinkSessions } from './sessions';
import { UI_CSS, UI_HTML } from './ui-page';

/**
 * The Link stand-in's HTTP surface, fetch-style. `path` is the request path relative to the
 * emulator's root (the app mounts the emulator under a prefix); the rest of the request URL is
 * the base the served script falls back to when it cannot read its own `src`.
 *
 *   GET  /link-initialize.js   the stand-in defining window.Plaid
 *   GET  /link/ui              the Link UI document (overlay iframe), with ui.js and ui.css
 *   POST /link/api/<action>    the UI's steps: session, credentials, mfa, oauth/start, complete
 *   GET|POST /link/oauth/authorize   the OAuth bank's consent page (oauth-bank.ts)
 *
 * Returns null for any other path so the core can answer it.
 */
export type LinkRouteHandler = (req: Request, path: string) => Promise<Response | null>;

const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  'img-src data:',
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const NO_STORE = { 'cache-control': 'no-store' };

function text(body: string, type: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status: 200, headers: { 'content-type': `${type}; charset=utf-8`, ...NO_STORE, ...headers } });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE } });
}

export function createLinkRoutes(backend: LinkBackend, sessions = new LinkSessions()): LinkRouteHandler {
  const api = createLinkApi(backend, sessions);
  const bank = createOauthBank(backend, sessions);

  return async function handleLinkRoute(req, path) {
    const method = req.method.toUpperCase();
    if (path === '/link-initialize.js' && (method === 'GET' || method === 'HEAD')) {
      const url = new URL(req.url);
      const servedBase = url.origin + url.pathname.slice(0, url.pathname.length - path.length);
      // Any page may load the script, as it may load Plaid's from the CDN.
      return text(linkInitializeJs(servedBase), 'text/javascript', { 'access-control-allow-origin': '*' });
    }
    if (method === 'GET' || method === 'HEAD') {
      if (path === '/link/ui') return text(UI_HTML, 'text/html', { 'content-security-policy': UI_CSP, 'referrer-policy': 'no-referrer' });
      if (path === '/link/ui.js') return text(UI_JS, 'text/javascript');
      if (path === '/link/ui.css') return text(UI_CSS, 'text/css');
    }
    const fromBank = await bank(req, path);
    if (fromBank) return fromBank;
    if (!path.startsWith('/link/api/')) return null;
    if (method !== 'POST') return json(405, { error: 'use POST' });
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      body = undefined;
    }
    const result = await api(path.slice('/link/api/'.length), body);
    return json(result.status, result.body);
  };
}
