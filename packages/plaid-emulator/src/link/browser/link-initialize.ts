import { PROTOCOL_JS } from './protocol';

/**
 * The stand-in for Plaid's `link-initialize.js`: defines `window.Plaid.create(config)` returning
 * `{ open, exit, submit, destroy }` as react-plaid-link 5.x drives it. Each handler owns a hidden
 * full-screen iframe holding the emulator's Link UI; `open()` shows it (queued until the iframe is
 * ready), and the UI reports back over postMessage.
 *
 * The emulator's base URL comes from the script's own `src`, so any mount prefix works; when the
 * script was served under another URL (Playwright routing Plaid's CDN address to it), the base the
 * server saw the request on is used instead.
 */
export function linkInitializeJs(servedBase: string): string {
  return `/* Plaid Link stand-in served by the Tributary Plaid emulator. Not Plaid's code. */
(function () {
  'use strict';
${PROTOCOL_JS}
  var SERVED_BASE = ${JSON.stringify(servedBase)};
  var current = document.currentScript;
  var BASE = SERVED_BASE;
  if (current && /\\/link-initialize\\.js(\\?.*)?$/.test(current.src) && current.src.indexOf('https://cdn.plaid.com/') !== 0) {
    BASE = current.src.replace(/\\/link-initialize\\.js(\\?.*)?$/, '');
  }
  var UI_ORIGIN = new URL(BASE).origin;
  var FROM_UI = ['ready', 'event', 'success', 'exit', 'oauth_redirect'];
  var counter = 0;

  function noop() {}

  function randomChannel() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  function create(config) {
    config = config || {};
    var onSuccess = typeof config.onSuccess === 'function' ? config.onSuccess : noop;
    var onExit = typeof config.onExit === 'function' ? config.onExit : noop;
    var onEvent = typeof config.onEvent === 'function' ? config.onEvent : noop;
    var onLoad = typeof config.onLoad === 'function' ? config.onLoad : noop;
    var channel = randomChannel();
    var state = { loaded: false, openQueued: false, isOpen: false, destroyed: false, finished: false, returnFocus: null, bodyOverflow: '', lastMeta: null, inerted: [], opening: 0 };

    var params = new URLSearchParams({ token: config.token || '', origin: location.origin, channel: channel });
    if (config.receivedRedirectUri) params.set('received_redirect_uri', config.receivedRedirectUri);

    var iframe = document.createElement('iframe');
    counter += 1;
    iframe.id = 'plaid-link-iframe-' + counter;
    iframe.title = 'Plaid Link';
    iframe.src = BASE + '/link/ui?' + params.toString();
    iframe.setAttribute('aria-hidden', 'true');
    iframe.tabIndex = -1;
    iframe.style.cssText = 'position:fixed;inset:0;width:100%;height:100%;border:0;margin:0;padding:0;' +
      'z-index:2147483647;background:transparent;display:none;color-scheme:normal;';
    (document.body || document.documentElement).appendChild(iframe);

    function post(type, payload) {
      if (iframe.contentWindow) iframe.contentWindow.postMessage(linkMessage(channel, type, payload), UI_ORIGIN);
    }

    function show() {
      state.opening += 1;
      state.isOpen = true;
      state.finished = false;
      state.returnFocus = document.activeElement;
      state.bodyOverflow = document.body.style.overflow;
      document.body.style.overflow = 'hidden';
      iframe.style.display = 'block';
      iframe.removeAttribute('aria-hidden');
      iframe.tabIndex = 0;
      // Keep keyboard and assistive technology inside Link while it is open.
      state.inerted = Array.prototype.filter.call(document.body.children, function (el) {
        return el !== iframe && !el.inert;
      });
      state.inerted.forEach(function (el) { el.inert = true; });
      post('open', {});
      iframe.focus();
    }

    function hide() {
      if (!state.isOpen) return;
      state.isOpen = false;
      iframe.style.display = 'none';
      iframe.setAttribute('aria-hidden', 'true');
      iframe.tabIndex = -1;
      state.inerted.forEach(function (el) { el.inert = false; });
      state.inerted = [];
      document.body.style.overflow = state.bodyOverflow;
      var back = state.returnFocus;
      state.returnFocus = null;
      if (back && typeof back.focus === 'function' && document.contains(back)) back.focus();
    }

    function exitMetadata() {
      var m = state.lastMeta || {};
      return {
        institution: m.institution_id ? { name: m.institution_name, institution_id: m.institution_id } : null,
        status: null,
        link_session_id: m.link_session_id || '',
        request_id: m.request_id || '',
      };
    }

    function finishWithExit(error, metadata) {
      if (state.finished) return;
      state.finished = true;
      hide();
      onExit(error, metadata);
    }

    function onMessage(event) {
      var msg = parseLinkMessage(event, { origin: UI_ORIGIN, source: iframe.contentWindow, channel: channel, types: FROM_UI });
      if (!msg || state.destroyed) return;
      var p = msg.payload;
      if (msg.type === 'ready') {
        if (state.loaded) return;
        state.loaded = true;
        onLoad();
        if (state.openQueued) { state.openQueued = false; show(); }
      } else if (msg.type === 'event') {
        state.lastMeta = p.metadata;
        onEvent(p.name, p.metadata);
      } else if (msg.type === 'success') {
        if (state.finished) return;
        state.finished = true;
        hide();
        onSuccess(p.public_token, p.metadata);
      } else if (msg.type === 'exit') {
        finishWithExit(p.error, p.metadata);
      } else if (msg.type === 'oauth_redirect') {
        // Plaid Link navigates the whole page to the bank; the bank returns to redirect_uri.
        window.top.location.assign(p.url);
      }
    }
    window.addEventListener('message', onMessage);

    return {
      open: function () {
        if (state.destroyed || state.isOpen) return;
        if (!state.loaded) { state.openQueued = true; return; }
        show();
      },
      exit: function (options) {
        if (state.destroyed) return;
        var force = Boolean(options && options.force);
        if (state.openQueued && !state.isOpen) {
          state.openQueued = false;
          onExit(null, { institution: null, status: null, link_session_id: '', request_id: '' });
          return;
        }
        if (!state.isOpen) return;
        // The UI answers with an exit message (force) or shows its exit confirmation (no force).
        post('exit', { force: force });
        if (force) {
          // A forced exit must close even if the UI never answers: react-plaid-link only destroys
          // the handler from onExit.
          hide();
          var opening = state.opening;
          setTimeout(function () { if (state.opening === opening) finishWithExit(null, exitMetadata()); }, 1000);
        }
      },
      submit: function (data) {
        if (state.destroyed || !data || typeof data !== 'object') return;
        post('submit', { data: data });
      },
      destroy: function () {
        if (state.destroyed) return;
        hide();
        state.destroyed = true;
        window.removeEventListener('message', onMessage);
        iframe.remove();
      },
    };
  }

  function createEmbedded() {
    throw new Error('Embedded Link is not supported by the Plaid emulator; use Plaid.create');
  }

  window.Plaid = { create: create, createEmbedded: createEmbedded, version: 'emulator' };
})();
`;
}
