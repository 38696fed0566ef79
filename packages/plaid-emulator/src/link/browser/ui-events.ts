/**
 * Browser JavaScript: Link's onEvent metadata and onExit status, with PLAID.md's shapes. Every
 * event carries the whole metadata object (nulls where a field does not apply), the Link
 * session id and the request id of the UI's latest call to the emulator.
 * `exitStatusFor` is pure, so the unit tests evaluate it.
 */
export const UI_EVENTS_JS = String.raw`
var EXIT_STATUS = { SELECT_INSTITUTION: 'institution_not_found', CREDENTIAL: 'requires_credentials', SELECT_ACCOUNT: 'requires_account_selection', OAUTH: 'requires_oauth' };
var MFA_STATUS = { code: 'requires_code', questions: 'requires_questions', selections: 'requires_selections' };

/** The onExit status for a user leaving from view, given the pending MFA type and the last error code. */
function exitStatusFor(view, mfaType, lastErrorCode) {
  if (view === 'MFA') return MFA_STATUS[mfaType] || 'requires_code';
  if (view === 'ERROR' && /NOT_SUPPORTED|NO_LONGER_SUPPORTED/.test(lastErrorCode || '')) return 'institution_not_supported';
  return EXIT_STATUS[view] || 'requires_credentials';
}

function institutionRef() {
  return S.institution ? { name: S.institution.name, institution_id: S.institution.institution_id } : null;
}

function emit(name, extra) {
  var m = {
    account_number_mask: null, error_type: null, error_code: null, error_message: null, exit_status: null,
    institution_id: S.institution ? S.institution.institution_id : null,
    institution_name: S.institution ? S.institution.name : null,
    institution_search_query: null,
    is_update_mode: S.session && S.session.is_update_mode ? 'true' : 'false',
    match_reason: null, mfa_type: S.mfaType, routing_number: null, selection: null,
    view_name: S.view, timestamp: new Date().toISOString(),
    link_session_id: S.session ? S.session.link_session_id : '', request_id: S.requestId,
  };
  send('event', { name: name, metadata: Object.assign(m, extra || {}) });
}
`;
