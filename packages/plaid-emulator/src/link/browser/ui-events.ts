import type { LinkInstitutionView } from '../backend';
import type { MfaPrompt } from '../mfa';

/**
 * Link's onEvent metadata and onExit status, with PLAID.md's shapes. Every event carries the whole
 * metadata object (nulls where a field does not apply), the Link session id and the request id of
 * the UI's latest call to the emulator. Pure functions of the UI's state, so the unit tests call them.
 */
export type MfaType = MfaPrompt['mfa_type'];

const EXIT_STATUS: Record<string, string> = { SELECT_INSTITUTION: 'institution_not_found', CREDENTIAL: 'requires_credentials', SELECT_ACCOUNT: 'requires_account_selection', OAUTH: 'requires_oauth' };
const MFA_STATUS: Record<string, string> = { code: 'requires_code', questions: 'requires_questions', selections: 'requires_selections' };

/** The onExit status for a user leaving from view, given the pending MFA type and the last error code. */
export function exitStatusFor(view: string | null, mfaType: MfaType | null, lastErrorCode: string | null | undefined): string {
  if (view === 'MFA') return (mfaType && MFA_STATUS[mfaType]) || 'requires_code';
  if (view === 'ERROR' && /NOT_SUPPORTED|NO_LONGER_SUPPORTED/.test(lastErrorCode || '')) return 'institution_not_supported';
  return (view && Object.hasOwn(EXIT_STATUS, view) ? EXIT_STATUS[view] : undefined) || 'requires_credentials';
}

/** What of the UI's state the metadata reports. */
export interface EventContext {
  institution: Pick<LinkInstitutionView, 'institution_id' | 'name'> | null;
  session: { is_update_mode: boolean; link_session_id: string } | null;
  mfaType: MfaType | null;
  view: string | null;
  requestId: string;
}

export function institutionRef(s: EventContext): { name: string; institution_id: string } | null {
  return s.institution ? { name: s.institution.name, institution_id: s.institution.institution_id } : null;
}

export function eventMetadata(s: EventContext, extra?: Record<string, unknown>): Record<string, unknown> {
  const m = {
    account_number_mask: null, error_type: null, error_code: null, error_message: null, exit_status: null,
    institution_id: s.institution ? s.institution.institution_id : null,
    institution_name: s.institution ? s.institution.name : null,
    institution_search_query: null,
    is_update_mode: s.session && s.session.is_update_mode ? 'true' : 'false',
    match_reason: null, mfa_type: s.mfaType, routing_number: null, selection: null,
    view_name: s.view, timestamp: new Date().toISOString(),
    link_session_id: s.session ? s.session.link_session_id : '', request_id: s.requestId,
  };
  return Object.assign(m, extra || {});
}
