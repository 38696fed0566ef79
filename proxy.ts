import { type NextRequest, NextResponse } from 'next/server';
import { env } from './server/env';
import { securityHeaders } from './server/security-headers';

/**
 * Runs before every page: a fresh CSP nonce per request (Next puts it on its own scripts when
 * the request carries the CSP) and the security headers on the response. API routes are left to
 * themselves: the emulator's Link UI, for one, must be framable by our own pages.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const e = env();
  const headers = securityHeaders({ nonce, dev: e.NODE_ENV === 'development', hsts: e.plaidEnv === 'production' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', headers['content-security-policy']!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [{ source: '/((?!api/|_next/static|_next/image|favicon.ico).*)' }],
};
