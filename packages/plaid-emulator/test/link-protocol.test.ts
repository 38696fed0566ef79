import { describe, expect, it } from 'vitest';
import { exitStatusFor } from '../src/link/browser/ui-events';
import { linkMessage, parseLinkMessage, PROTOCOL_ID, type UiMessageType } from '../src/link/browser/protocol';
import { linkInitializeJs, UI_JS } from '../src/link/scripts';

// The module both browser bundles import; the tests import it too.
const source = {};
const expected = { origin: 'http://127.0.0.1:4010', source, channel: 'abc', types: ['ready', 'event', 'success', 'exit', 'oauth_redirect'] as UiMessageType[] };
const ev = (data: unknown, over: Record<string, unknown> = {}) => ({ origin: expected.origin, source, data, ...over });

describe('parseLinkMessage', () => {
  it('accepts a well-formed message from the expected window, origin and channel', () => {
    const msg = linkMessage('abc', 'success', { public_token: 'public-sandbox-x', metadata: {} });
    expect(parseLinkMessage(ev(msg), expected)).toEqual({ type: 'success', payload: { public_token: 'public-sandbox-x', metadata: {} } });
  });

  it('ignores messages from another origin, another window or another channel', () => {
    const msg = linkMessage('abc', 'ready', {});
    expect(parseLinkMessage(ev(msg, { origin: 'https://evil.example' }), expected)).toBeNull();
    expect(parseLinkMessage(ev(msg, { source: {} }), expected)).toBeNull();
    expect(parseLinkMessage(ev(linkMessage('other', 'ready', {})), expected)).toBeNull();
  });

  it('ignores foreign protocols, unexpected types and malformed payloads', () => {
    expect(parseLinkMessage(ev({ type: 'ready' }), expected)).toBeNull();
    expect(parseLinkMessage(ev('a string'), expected)).toBeNull();
    expect(parseLinkMessage(ev(linkMessage('abc', 'open', {})), expected)).toBeNull();
    expect(parseLinkMessage(ev({ protocol: PROTOCOL_ID, channel: 'abc', type: 'event', payload: [] }), expected)).toBeNull();
    expect(parseLinkMessage(ev(linkMessage('abc', 'event', { name: 'OPEN' })), expected)).toBeNull();
    expect(parseLinkMessage(ev(linkMessage('abc', 'success', { metadata: {} })), expected)).toBeNull();
    expect(parseLinkMessage(ev(linkMessage('abc', 'exit', { error: 'x', metadata: {} })), expected)).toBeNull();
  });

  it('only lets an OAuth redirect go to an http(s) URL', () => {
    expect(parseLinkMessage(ev(linkMessage('abc', 'oauth_redirect', { url: 'https://app.example/oauth-return?oauth_state_id=1' })), expected)?.type).toBe('oauth_redirect');
    expect(parseLinkMessage(ev(linkMessage('abc', 'oauth_redirect', { url: 'javascript:alert(1)' })), expected)).toBeNull();
  });

  it('checks iframe-bound exits carry a boolean force', () => {
    const toUi = { ...expected, types: ['open', 'exit', 'submit'] as const };
    expect(parseLinkMessage(ev(linkMessage('abc', 'exit', { force: true })), toUi)?.payload).toEqual({ force: true });
    expect(parseLinkMessage(ev(linkMessage('abc', 'exit', { force: 'yes' })), toUi)).toBeNull();
  });
});

describe('served browser scripts', () => {
  it('are syntactically valid JavaScript, with the base URL the request was served under', () => {
    const script = linkInitializeJs('http://127.0.0.1:4010/api/plaid-emulator');
    expect(() => new Function(script)).not.toThrow();
    expect(script).toContain('"http://127.0.0.1:4010/api/plaid-emulator"');
    expect(script).not.toContain('__PLAID_EMULATOR_SERVED_BASE__');
    expect(() => new Function(UI_JS)).not.toThrow();
  });

  it('embed the base URL as a string literal, whatever it holds', () => {
    const script = linkInitializeJs('http://x/"; alert(1); "');
    expect(script).toContain(JSON.stringify('http://x/"; alert(1); "'));
    expect(() => new Function(script)).not.toThrow();
  });
});

describe('exitStatusFor', () => {
  it('names what Link still needed from the view the user left', () => {
    expect(exitStatusFor('SELECT_INSTITUTION', null, null)).toBe('institution_not_found');
    expect(exitStatusFor('CREDENTIAL', null, null)).toBe('requires_credentials');
    expect(exitStatusFor('SELECT_ACCOUNT', null, null)).toBe('requires_account_selection');
    expect(exitStatusFor('OAUTH', null, null)).toBe('requires_oauth');
  });

  it('distinguishes MFA kinds and unsupported institutions', () => {
    expect(exitStatusFor('MFA', 'code', null)).toBe('requires_code');
    expect(exitStatusFor('MFA', 'questions', null)).toBe('requires_questions');
    expect(exitStatusFor('MFA', 'selections', null)).toBe('requires_selections');
    expect(exitStatusFor('ERROR', null, 'INSTITUTION_NO_LONGER_SUPPORTED')).toBe('institution_not_supported');
    expect(exitStatusFor('ERROR', null, 'ITEM_LOCKED')).toBe('requires_credentials');
  });
});
