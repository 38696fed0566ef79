/**
 * Security headers for pages. The CSP admits only what Plaid Link needs: Plaid's CDN script and
 * its frames in sandbox/production; in emulator mode the stand-in is served from this origin.
 * Scripts run by nonce ('strict-dynamic' lets react-plaid-link add Plaid's script).
 */
export function contentSecurityPolicy(opts: { nonce: string; dev: boolean }): string {
  const plaid = 'https://cdn.plaid.com https://*.plaid.com';
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${opts.nonce}' 'strict-dynamic' https://cdn.plaid.com${opts.dev ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob: ${plaid}`,
    `font-src 'self'`,
    `connect-src 'self' ${plaid}`,
    `frame-src 'self' ${plaid}`,
    `frame-ancestors 'none'`,
    `form-action 'self'`,
    `base-uri 'self'`,
    `object-src 'none'`,
  ].join('; ');
}

export function securityHeaders(opts: { nonce: string; dev: boolean; hsts: boolean }): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(opts),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'cross-origin-opener-policy': 'same-origin-allow-popups',
    ...(opts.hsts ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains; preload' } : {}),
  };
}
