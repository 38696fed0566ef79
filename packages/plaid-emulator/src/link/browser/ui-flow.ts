/**
 * Browser JavaScript: the Link UI's flow. It talks to the host page (the stand-in) over
 * postMessage, to the emulator over `api/*` fetches, and emits Link's events with PLAID.md's
 * metadata. Uses `parseLinkMessage` (protocol), `VIEWS` (ui-views) and `emit` (ui-events).
 */
export const UI_FLOW_JS = String.raw`
var params = new URLSearchParams(location.search);
var CFG = {
  token: params.get('token') || '',
  parentOrigin: params.get('origin') || '',
  channel: params.get('channel') || '',
  receivedRedirectUri: params.get('received_redirect_uri'),
};
var S = freshState();

function freshState() {
  return { session: null, sessionError: null, view: null, data: {}, institution: null, lastError: null, requestId: '', mfaType: null, done: false };
}

/** Only talk to the page that embeds us, and only if it is the origin it claims to be. */
function embeddedCorrectly() {
  if (window.parent === window || !CFG.parentOrigin || !CFG.channel) return false;
  var ancestors = location.ancestorOrigins;
  return !ancestors || ancestors.length === 0 || ancestors[0] === CFG.parentOrigin;
}

function send(type, payload) {
  window.parent.postMessage(linkMessage(CFG.channel, type, payload), CFG.parentOrigin);
}

function announce(text) {
  var live = document.getElementById('live');
  live.textContent = '';
  setTimeout(function () { live.textContent = text; }, 30);
}

function go(view, data) {
  S.view = view;
  S.data = data || {};
  var host = document.getElementById('view');
  var d = Object.assign({ institution: S.institution, isUpdateMode: S.session && S.session.is_update_mode,
    clientName: S.session ? S.session.client_name : '' }, S.data);
  host.replaceChildren.apply(host, VIEWS[view](d, ACTIONS));
  document.getElementById('back').hidden = !(view === 'CREDENTIAL' || view === 'OAUTH') || Boolean(S.session && S.session.is_update_mode);
  var target = host.querySelector('[data-autofocus]') || document.getElementById('view-title');
  if (target) target.focus();
  emit('TRANSITION_VIEW', { view_name: view });
}

function api(path, body) {
  var payload = Object.assign({ link_token: CFG.token, link_session_id: S.session ? S.session.link_session_id : undefined }, body);
  return fetch('api/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) })
    .then(function (res) {
      return res.json().then(function (json) {
        if (json && json.request_id) S.requestId = json.request_id;
        if (!res.ok) throw { plaid: json && json.error ? json.error : { error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR', error_message: 'unexpected response', display_message: null } };
        return json;
      });
    });
}

function failWith(err, canRetry) {
  var e = err && err.plaid ? err.plaid : { error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR', error_message: String(err && err.message || err), display_message: null };
  S.lastError = { error_type: e.error_type, error_code: e.error_code, error_message: e.error_message, display_message: e.display_message === undefined ? null : e.display_message };
  emit('ERROR', { error_type: e.error_type, error_code: e.error_code, error_message: e.error_message });
  go('ERROR', { error: S.lastError, canRetry: canRetry !== false });
}

function loadSession() {
  return api('session', { received_redirect_uri: CFG.receivedRedirectUri || undefined })
    .then(function (s) { S.session = s; }, function (err) { S.sessionError = err; });
}

function afterVerified(res) {
  if (res.next === 'mfa') { S.mfaType = res.mfa.mfa_type; go('MFA', { mfa: res.mfa }); return; }
  if (S.session.account_selection_enabled) go('SELECT_ACCOUNT', { accounts: res.accounts });
  else ACTIONS.selectAccounts(res.accounts.map(function (x) { return x.id; }));
}

function begin() {
  if (S.sessionError) { emit('OPEN'); failWith(S.sessionError, false); return; }
  var s = S.session;
  S.institution = s.institution;
  emit('OPEN');
  // Back from the bank: carry on after OAuth, or report that the user left the bank unapproved.
  if (s.resume && s.resume.approved) afterVerified(s.resume);
  else if (s.resume) { emit('CLOSE_OAUTH'); go('OAUTH'); }
  else if (s.institution) go(s.institution.oauth ? 'OAUTH' : 'CREDENTIAL');
  else go('SELECT_INSTITUTION', { institutions: s.institutions });
}

var searchTimer = null;

var ACTIONS = {
  announce: announce,
  search: function (query) {
    // Like Link, report a search once the user pauses typing.
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      if (query.trim()) emit('SEARCH_INSTITUTION', { institution_search_query: query.trim() });
    }, 400);
  },
  selectInstitution: function (inst) {
    clearTimeout(searchTimer);
    S.institution = inst;
    emit('SELECT_INSTITUTION', { institution_id: inst.institution_id, institution_name: inst.name });
    go(inst.oauth ? 'OAUTH' : 'CREDENTIAL');
  },
  submitCredentials: function (username, password) {
    emit('SUBMIT_CREDENTIALS');
    go('LOADING');
    api('credentials', { institution_id: S.institution.institution_id, username: username, password: password })
      .then(afterVerified, failWith);
  },
  submitMfa: function (answers) {
    emit('SUBMIT_MFA', { mfa_type: S.mfaType });
    go('LOADING');
    api('mfa', { answers: answers }).then(afterVerified, failWith);
  },
  selectAccounts: function (ids) {
    go('LOADING');
    api('complete', { account_ids: ids }).then(function (res) {
      S.result = res;
      go('CONNECTED');
    }, failWith);
  },
  openOauth: function () {
    api('oauth/start', { institution_id: S.institution.institution_id }).then(function (res) {
      emit('OPEN_OAUTH');
      S.done = true;
      send('oauth_redirect', { url: new URL(res.redirect_url, location.href).toString() });
    }, failWith);
  },
  handoff: function () {
    emit('HANDOFF');
    S.done = true;
    send('success', { public_token: S.result.public_token, metadata: {
      institution: S.result.institution, accounts: S.result.accounts, link_session_id: S.session.link_session_id } });
  },
  retry: function () {
    S.mfaType = null;
    if (S.institution) go(S.institution.oauth ? 'OAUTH' : 'CREDENTIAL');
    else go('SELECT_INSTITUTION', { institutions: S.session.institutions });
  },
  back: function () { S.institution = null; go('SELECT_INSTITUTION', { institutions: S.session.institutions }); },
  confirmExit: function () { if (S.view !== 'EXIT') { S.exitFrom = S.view; S.resume = { view: S.view, data: S.data }; go('EXIT'); } },
  stay: function () { go(S.resume.view, S.resume.data); },
  exit: function () {
    if (S.done) return;
    if (S.view !== 'EXIT') S.exitFrom = S.view;
    var status = exitStatusFor(S.exitFrom || S.view, S.mfaType, S.lastError && S.lastError.error_code);
    emit('EXIT', { exit_status: status });
    S.done = true;
    send('exit', { error: S.lastError, metadata: { institution: institutionRef(), status: status,
      link_session_id: S.session ? S.session.link_session_id : '', request_id: S.requestId } });
  },
};

function onParentMessage(event) {
  var msg = parseLinkMessage(event, { origin: CFG.parentOrigin, source: window.parent, channel: CFG.channel, types: ['open', 'exit', 'submit'] });
  if (!msg) return;
  if (msg.type === 'open') {
    // A handler can be opened again after it finished: that is a new Link session.
    if (S.done || S.view) {
      S = freshState();
      var host = document.getElementById('view');
      host.replaceChildren.apply(host, viewLoading());
      loadSession().then(begin);
    } else begin();
  } else if (msg.type === 'exit') {
    if (msg.payload.force) ACTIONS.exit(); else ACTIONS.confirmExit();
  }
}

function start() {
  if (!embeddedCorrectly()) {
    document.getElementById('view').replaceChildren(title('Plaid Link emulator'),
      h('p', { text: 'Open this page through Plaid.create() from link-initialize.js.' }));
    return;
  }
  document.getElementById('close').addEventListener('click', ACTIONS.exit);
  document.getElementById('back').addEventListener('click', ACTIONS.back);
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && S.view && S.view !== 'LOADING') ACTIONS.confirmExit(); });
  window.addEventListener('message', onParentMessage);
  loadSession().then(function () { send('ready', {}); });
}
start();
`;
