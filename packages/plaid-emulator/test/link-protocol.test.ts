import { describe, expect, it } from 'vitest';
import { linkInitializeJs } from '../src/link/browser/link-initialize';
import { PROTOCOL_ID, PROTOCOL_JS } from '../src/link/browser/protocol';
import { UI_EVENTS_JS } from '../src/link/browser/ui-events';
import { UI_JS } from '../src/link/browser/ui-page';

type Parse = (event: unknown, expected: unknown) => { type: string; payload: Record<string, unknown> } | null;
type Make = (channel: string, type: string, payload?: unknown) => unknown;

// The same source the browser runs, evaluated here.
const { parseLinkMessage, linkMessage } = new Function(`${PROTOCOL_JS}; return { parseLinkMessage, linkMessage };`)() as {
  parseLinkMessage: Parse;
  linkMessage: Make;
};

const source = {};
const expected = { origin: 'http://127.0.0.1:4010', source, channel: 'abc', types: ['ready', 'event', 'success', 'exit', 'oauth_redirect'] };
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
    const toUi = { ...expected, types: ['open', 'exit', 'submit'] };
    expect(parseLinkMessage(ev(linkMessage('abc', 'exit', { force: true })), toUi)?.payload).toEqual({ force: true });
    expect(parseLinkMessage(ev(linkMessage('abc', 'exit', { force: 'yes' })), toUi)).toBeNull();
  });
});

describe('served browser scripts', () => {
  it('are syntactically valid JavaScript', () => {
    expect(() => new Function(linkInitializeJs('http://127.0.0.1:4010/api/plaid-emulator'))).not.toThrow();
    expect(() => new Function(UI_JS)).not.toThrow();
  });
});

describe('exitStatusFor', () => {
  const exitStatusFor = new Function(`${UI_EVENTS_JS}; return exitStatusFor;`)() as (view: string | null, mfa: string | null, code: string | null) => string;

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
