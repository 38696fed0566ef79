import type { LinkAccount, LinkInstitutionView } from '../backend';
import type { MfaPrompt } from '../mfa';
import { eventMetadata, exitStatusFor, institutionRef, type MfaType } from './ui-events';
import { h, title, viewLoading, VIEWS, type Actions, type PlaidErrorView, type ViewData, type ViewName } from './ui-views';
import { linkMessage, parseLinkMessage, type Payload, type UiMessageType } from './protocol';

/**
 * The Link UI's flow. It talks to the host page (the stand-in) over postMessage, to the emulator
 * over `api/*` fetches (the Link UI's endpoints, `ui-api.ts`), and emits Link's events with
 * PLAID.md's metadata.
 */

/** The answers of `ui-api.ts` the flow reads. */
interface Session {
  link_session_id: string;
  client_name: string;
  is_update_mode: boolean;
  account_selection_enabled: boolean;
  institution: LinkInstitutionView | null;
  institutions: LinkInstitutionView[];
  /** Set when Link re-opens after the OAuth bank. */
  resume?: (Verified & { approved: boolean }) | null;
}
type Verified = { next: 'mfa'; mfa: MfaPrompt } | { next: 'accounts'; accounts: LinkAccount[] };
interface Completed { public_token: string; institution: { name: string; institution_id: string }; accounts: LinkAccount[] }

/** A failed call: the PlaidError the emulator answered with. */
interface ApiFailure { plaid: PlaidErrorView }

interface UiState {
  session: Session | null;
  sessionError: unknown;
  view: ViewName | null;
  data: Partial<ViewData>;
  institution: LinkInstitutionView | null;
  lastError: PlaidErrorView | null;
  requestId: string;
  mfaType: MfaType | null;
  done: boolean;
  result: Completed | null;
  /** The view the user asked to exit from, and the one to return to on Stay. */
  exitFrom: ViewName | null;
  beforeExit: { view: ViewName; data: Partial<ViewData> } | null;
}

const params = new URLSearchParams(location.search);
const CFG = {
  token: params.get('token') || '',
  parentOrigin: params.get('origin') || '',
  channel: params.get('channel') || '',
  receivedRedirectUri: params.get('received_redirect_uri'),
};
let S = freshState();

function freshState(): UiState {
  return { session: null, sessionError: null, view: null, data: {}, institution: null, lastError: null, requestId: '', mfaType: null, done: false, result: null, exitFrom: null, beforeExit: null };
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the Link UI page has no #${id}`);
  return el;
}

/** Only talk to the page that embeds us, and only if it is the origin it claims to be. */
function embeddedCorrectly(): boolean {
  if (window.parent === window || !CFG.parentOrigin || !CFG.channel) return false;
  // Not every browser has ancestorOrigins (Firefox).
  const ancestors = location.ancestorOrigins as DOMStringList | undefined;
  return !ancestors || ancestors.length === 0 || ancestors[0] === CFG.parentOrigin;
}

function send(type: UiMessageType, payload: Payload) {
  window.parent.postMessage(linkMessage(CFG.channel, type, payload), CFG.parentOrigin);
}

function emit(name: string, extra?: Record<string, unknown>) {
  send('event', { name, metadata: eventMetadata(S, extra) });
}

function announce(text: string) {
  const live = byId('live');
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 30);
}

function go(view: ViewName, data?: Partial<ViewData>) {
  S.view = view;
  S.data = data || {};
  const host = byId('view');
  const d: ViewData = Object.assign({ institution: S.institution, isUpdateMode: Boolean(S.session && S.session.is_update_mode),
    clientName: S.session ? S.session.client_name : '' }, S.data);
  host.replaceChildren(...VIEWS[view](d, ACTIONS));
  byId('back').hidden = !(view === 'CREDENTIAL' || view === 'OAUTH') || Boolean(S.session && S.session.is_update_mode);
  const target = host.querySelector<HTMLElement>('[data-autofocus]') || document.getElementById('view-title');
  if (target) target.focus();
  emit('TRANSITION_VIEW', { view_name: view });
}

const UNEXPECTED: PlaidErrorView = { error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR', error_message: 'unexpected response', display_message: null };

async function api<T>(path: string, body: Record<string, unknown>): Promise<T> {
  const payload = Object.assign({ link_token: CFG.token, link_session_id: S.session ? S.session.link_session_id : undefined }, body);
  const res = await fetch(`api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const json = (await res.json()) as { request_id?: string; error?: PlaidErrorView } | null;
  if (json && json.request_id) S.requestId = json.request_id;
  if (!res.ok) throw { plaid: json && json.error ? json.error : UNEXPECTED } satisfies ApiFailure;
  return json as T;
}

function isApiFailure(err: unknown): err is ApiFailure {
  return typeof err === 'object' && err !== null && Boolean((err as Partial<ApiFailure>).plaid);
}

function failWith(err: unknown, canRetry?: boolean) {
  const message = err instanceof Error ? err.message : (err as { message?: unknown } | null)?.message;
  const e: PlaidErrorView = isApiFailure(err) ? err.plaid : { error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR', error_message: String(message || err), display_message: null };
  S.lastError = { error_type: e.error_type, error_code: e.error_code, error_message: e.error_message, display_message: e.display_message === undefined ? null : e.display_message };
  emit('ERROR', { error_type: e.error_type, error_code: e.error_code, error_message: e.error_message });
  go('ERROR', { error: S.lastError, canRetry: canRetry !== false });
}
const fail = (err: unknown) => failWith(err);

function loadSession(): Promise<void> {
  return api<Session>('session', { received_redirect_uri: CFG.receivedRedirectUri || undefined })
    .then((s) => { S.session = s; }, (err: unknown) => { S.sessionError = err; });
}

function afterVerified(res: Verified) {
  if (res.next === 'mfa') { S.mfaType = res.mfa.mfa_type; go('MFA', { mfa: res.mfa }); return; }
  if (S.session?.account_selection_enabled) go('SELECT_ACCOUNT', { accounts: res.accounts });
  else ACTIONS.selectAccounts(res.accounts.map((x) => x.id));
}

function begin() {
  if (S.sessionError || !S.session) { emit('OPEN'); failWith(S.sessionError, false); return; }
  const s = S.session;
  S.institution = s.institution;
  emit('OPEN');
  // Back from the bank: carry on after OAuth, or report that the user left the bank unapproved.
  if (s.resume && s.resume.approved) afterVerified(s.resume);
  else if (s.resume) { emit('CLOSE_OAUTH'); go('OAUTH'); }
  else if (s.institution) go(s.institution.oauth ? 'OAUTH' : 'CREDENTIAL');
  else go('SELECT_INSTITUTION', { institutions: s.institutions });
}

/** The institution chosen so far; every step after the institution list has one. */
function institution(): LinkInstitutionView {
  if (!S.institution) throw new Error('no institution selected');
  return S.institution;
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;

const ACTIONS: Actions = {
  announce,
  search(query) {
    // Like Link, report a search once the user pauses typing.
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      if (query.trim()) emit('SEARCH_INSTITUTION', { institution_search_query: query.trim() });
    }, 400);
  },
  selectInstitution(inst) {
    clearTimeout(searchTimer);
    S.institution = inst;
    emit('SELECT_INSTITUTION', { institution_id: inst.institution_id, institution_name: inst.name });
    go(inst.oauth ? 'OAUTH' : 'CREDENTIAL');
  },
  submitCredentials(username, password) {
    emit('SUBMIT_CREDENTIALS');
    go('LOADING');
    api<Verified>('credentials', { institution_id: institution().institution_id, username, password }).then(afterVerified, fail);
  },
  submitMfa(answers) {
    emit('SUBMIT_MFA', { mfa_type: S.mfaType });
    go('LOADING');
    api<Verified>('mfa', { answers }).then(afterVerified, fail);
  },
  selectAccounts(ids) {
    go('LOADING');
    api<Completed>('complete', { account_ids: ids }).then((res) => {
      S.result = res;
      go('CONNECTED');
    }, fail);
  },
  openOauth() {
    api<{ redirect_url: string }>('oauth/start', { institution_id: institution().institution_id }).then((res) => {
      emit('OPEN_OAUTH');
      S.done = true;
      send('oauth_redirect', { url: new URL(res.redirect_url, location.href).toString() });
    }, fail);
  },
  handoff() {
    const result = S.result;
    if (!result || !S.session) return;
    emit('HANDOFF');
    S.done = true;
    send('success', { public_token: result.public_token, metadata: {
      institution: result.institution, accounts: result.accounts, link_session_id: S.session.link_session_id } });
  },
  retry() {
    S.mfaType = null;
    if (S.institution) go(S.institution.oauth ? 'OAUTH' : 'CREDENTIAL');
    else go('SELECT_INSTITUTION', { institutions: S.session?.institutions });
  },
  back() { S.institution = null; go('SELECT_INSTITUTION', { institutions: S.session?.institutions }); },
  confirmExit() { if (S.view && S.view !== 'EXIT') { S.exitFrom = S.view; S.beforeExit = { view: S.view, data: S.data }; go('EXIT'); } },
  stay() { if (S.beforeExit) go(S.beforeExit.view, S.beforeExit.data); },
  exit() {
    if (S.done) return;
    if (S.view !== 'EXIT') S.exitFrom = S.view;
    const status = exitStatusFor(S.exitFrom || S.view, S.mfaType, S.lastError && S.lastError.error_code);
    emit('EXIT', { exit_status: status });
    S.done = true;
    send('exit', { error: S.lastError, metadata: { institution: institutionRef(S), status,
      link_session_id: S.session ? S.session.link_session_id : '', request_id: S.requestId } });
  },
};

function onParentMessage(event: MessageEvent) {
  const msg = parseLinkMessage(event, { origin: CFG.parentOrigin, source: window.parent, channel: CFG.channel, types: ['open', 'exit', 'submit'] as const });
  if (!msg) return;
  if (msg.type === 'open') {
    // A handler can be opened again after it finished: that is a new Link session.
    if (S.done || S.view) {
      S = freshState();
      byId('view').replaceChildren(...viewLoading());
      void loadSession().then(begin);
    } else begin();
  } else if (msg.type === 'exit') {
    if (msg.payload.force) ACTIONS.exit(); else ACTIONS.confirmExit();
  }
}

export function start() {
  if (!embeddedCorrectly()) {
    byId('view').replaceChildren(title('Plaid Link emulator'),
      h('p', { text: 'Open this page through Plaid.create() from link-initialize.js.' }));
    return;
  }
  byId('close').addEventListener('click', ACTIONS.exit);
  byId('back').addEventListener('click', ACTIONS.back);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && S.view && S.view !== 'LOADING') ACTIONS.confirmExit(); });
  window.addEventListener('message', onParentMessage);
  void loadSession().then(() => { send('ready', {}); });
}
