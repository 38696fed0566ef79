import { linkMessage, parseLinkMessage, type HostMessageType, type Payload, type UiMessageType } from './protocol';

/**
 * The stand-in for Plaid's `link-initialize.js`: defines `window.Plaid.create(config)` returning
 * `{ open, exit, submit, destroy }` as react-plaid-link 5.x drives it. Each handler owns a hidden
 * full-screen iframe holding the emulator's Link UI; `open()` shows it (queued until the iframe is
 * ready), and the UI reports back over postMessage.
 *
 * The emulator's base URL comes from the script's own `src`, so any mount prefix works; when the
 * script was served under another URL (Playwright routing Plaid's CDN address to it), the base the
 * server saw the request on is used instead: the route writes it in place of `__SERVED_BASE__`.
 */
declare const __SERVED_BASE__: string;

type Callback = (...args: never[]) => void;

interface CreateConfig {
  token?: string;
  receivedRedirectUri?: string;
  onSuccess?: (publicToken: unknown, metadata: unknown) => void;
  onExit?: (error: unknown, metadata: unknown) => void;
  onEvent?: (name: unknown, metadata: unknown) => void;
  onLoad?: () => void;
}

interface ExitMetadata {
  institution: { name: unknown; institution_id: unknown } | null;
  status: null;
  link_session_id: string;
  request_id: string;
}

interface LinkHandler {
  open(): void;
  exit(options?: { force?: boolean }): void;
  submit(data: unknown): void;
  destroy(): void;
}

/** What `window.Plaid` offers (not declared on Window: this code shares the app's type-check). */
interface PlaidGlobal { create(config?: CreateConfig): LinkHandler; createEmbedded(): never; version: string }

const SERVED_BASE = __SERVED_BASE__;
const SCRIPT_PATH = /\/link-initialize\.js(\?.*)?$/;
const current = document.currentScript as HTMLScriptElement | null;
let BASE = SERVED_BASE;
if (current && SCRIPT_PATH.test(current.src) && current.src.indexOf('https://cdn.plaid.com/') !== 0) {
  BASE = current.src.replace(SCRIPT_PATH, '');
}
const UI_ORIGIN = new URL(BASE).origin;
const FROM_UI: readonly UiMessageType[] = ['ready', 'event', 'success', 'exit', 'oauth_redirect'];
let counter = 0;

function noop() {}

function callback<F extends Callback>(f: unknown): F {
  return (typeof f === 'function' ? f : noop) as F;
}

function randomChannel(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function create(config?: CreateConfig): LinkHandler {
  config = config || {};
  const onSuccess = callback<NonNullable<CreateConfig['onSuccess']>>(config.onSuccess);
  const onExit = callback<NonNullable<CreateConfig['onExit']>>(config.onExit);
  const onEvent = callback<NonNullable<CreateConfig['onEvent']>>(config.onEvent);
  const onLoad = callback<NonNullable<CreateConfig['onLoad']>>(config.onLoad);
  const channel = randomChannel();
  const state = {
    loaded: false,
    openQueued: false,
    isOpen: false,
    destroyed: false,
    finished: false,
    returnFocus: null as Element | null,
    bodyOverflow: '',
    lastMeta: null as Payload | null,
    inerted: [] as HTMLElement[],
    opening: 0,
  };

  const params = new URLSearchParams({ token: config.token || '', origin: location.origin, channel });
  if (config.receivedRedirectUri) params.set('received_redirect_uri', config.receivedRedirectUri);

  const iframe = document.createElement('iframe');
  counter += 1;
  iframe.id = `plaid-link-iframe-${counter}`;
  iframe.title = 'Plaid Link';
  iframe.src = `${BASE}/link/ui?${params.toString()}`;
  iframe.setAttribute('aria-hidden', 'true');
  iframe.tabIndex = -1;
  iframe.style.cssText = 'position:fixed;inset:0;width:100%;height:100%;border:0;margin:0;padding:0;' +
    'z-index:2147483647;background:transparent;display:none;color-scheme:normal;';
  (document.body || document.documentElement).appendChild(iframe);

  function post(type: HostMessageType, payload: Payload) {
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
    state.inerted = Array.from(document.body.children).filter((el): el is HTMLElement => el !== iframe && el instanceof HTMLElement && !el.inert);
    state.inerted.forEach((el) => { el.inert = true; });
    post('open', {});
    iframe.focus();
  }

  function hide() {
    if (!state.isOpen) return;
    state.isOpen = false;
    iframe.style.display = 'none';
    iframe.setAttribute('aria-hidden', 'true');
    iframe.tabIndex = -1;
    state.inerted.forEach((el) => { el.inert = false; });
    state.inerted = [];
    document.body.style.overflow = state.bodyOverflow;
    const back = state.returnFocus as HTMLElement | null;
    state.returnFocus = null;
    if (back && typeof back.focus === 'function' && document.contains(back)) back.focus();
  }

  function exitMetadata(): ExitMetadata {
    const m = state.lastMeta || {};
    return {
      institution: m.institution_id ? { name: m.institution_name, institution_id: m.institution_id } : null,
      status: null,
      link_session_id: (m.link_session_id as string) || '',
      request_id: (m.request_id as string) || '',
    };
  }

  function finishWithExit(error: unknown, metadata: unknown) {
    if (state.finished) return;
    state.finished = true;
    hide();
    onExit(error, metadata);
  }

  function onMessage(event: MessageEvent) {
    const msg = parseLinkMessage(event, { origin: UI_ORIGIN, source: iframe.contentWindow, channel, types: FROM_UI });
    if (!msg || state.destroyed) return;
    const p = msg.payload;
    if (msg.type === 'ready') {
      if (state.loaded) return;
      state.loaded = true;
      onLoad();
      if (state.openQueued) { state.openQueued = false; show(); }
    } else if (msg.type === 'event') {
      state.lastMeta = p.metadata as Payload;
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
      window.top?.location.assign(p.url as string);
    }
  }
  window.addEventListener('message', onMessage);

  return {
    open() {
      if (state.destroyed || state.isOpen) return;
      if (!state.loaded) { state.openQueued = true; return; }
      show();
    },
    exit(options) {
      if (state.destroyed) return;
      const force = Boolean(options && options.force);
      if (state.openQueued && !state.isOpen) {
        state.openQueued = false;
        onExit(null, { institution: null, status: null, link_session_id: '', request_id: '' });
        return;
      }
      if (!state.isOpen) return;
      // The UI answers with an exit message (force) or shows its exit confirmation (no force).
      post('exit', { force });
      if (force) {
        // A forced exit must close even if the UI never answers: react-plaid-link only destroys
        // the handler from onExit.
        hide();
        const opening = state.opening;
        setTimeout(() => { if (state.opening === opening) finishWithExit(null, exitMetadata()); }, 1000);
      }
    },
    submit(data) {
      if (state.destroyed || !data || typeof data !== 'object') return;
      post('submit', { data });
    },
    destroy() {
      if (state.destroyed) return;
      hide();
      state.destroyed = true;
      window.removeEventListener('message', onMessage);
      iframe.remove();
    },
  };
}

function createEmbedded(): never {
  throw new Error('Embedded Link is not supported by the Plaid emulator; use Plaid.create');
}

const plaid: PlaidGlobal = { create, createEmbedded, version: 'emulator' };
(window as unknown as { Plaid: PlaidGlobal }).Plaid = plaid;
