import { PlaidErrorType, type PlaidError } from 'plaid';
import { PlaidApiError, plaidError } from '../errors';
import { newRequestId } from '../ids';
import { INSTITUTIONS, institutionLogo } from '../institutions';
import { checkCredentials } from '../items';
import type { CompleteLinkInput as CoreCompleteInput, CompleteLinkResult as CoreCompleteResult, LinkAccountMeta, LinkTokenDescription } from '../link-api';
import type { LinkBackend, LinkInstitutionView } from './backend';

/** The core's Link contract (`../link-api.ts`) bound to one emulator's state: `emulator.link`. */
export interface CoreLink {
  describeLinkToken(linkToken: string): LinkTokenDescription;
  completeLink(input: CoreCompleteInput, requestId?: string): CoreCompleteResult;
  linkAccountChoices(linkToken: string): LinkAccountMeta[];
}

/** Rebuilds a thrown error from a PlaidError body the core returned, keeping its HTTP status. */
function fromBody(body: PlaidError): PlaidApiError {
  const type = Object.values(PlaidErrorType).includes(body.error_type) ? body.error_type : PlaidErrorType.ApiError;
  return new PlaidApiError(plaidError(body.error_code).status, type, body.error_code, body.error_message, body.display_message ?? null);
}

/**
 * Adapts the core to the stand-in. `core` is a getter so the emulator can pass its own `link`
 * while it is still being built (the stand-in's routes are one of its options).
 */
export function linkBackendFromCore(core: () => CoreLink): LinkBackend {
  let institutions: LinkInstitutionView[] | null = null;
  return {
    describeLinkToken(linkToken) {
      const d = core().describeLinkToken(linkToken);
      if (!d.valid) throw plaidError('INVALID_LINK_TOKEN');
      const update = d.mode === 'update';
      return {
        clientName: d.clientName ?? 'the app',
        updateInstitutionId: update ? (d.institutionId ?? null) : null,
        redirectUri: d.redirectUri,
        accountSelectionEnabled: !update || d.accountSelectionEnabled,
        accounts: core().linkAccountChoices(linkToken).map((a) => ({ ...a, class_type: null })),
      };
    },
    institutions() {
      institutions ??= INSTITUTIONS.map((i) => ({
        institution_id: i.id,
        name: i.name,
        logo: institutionLogo(i),
        primary_color: i.color,
        oauth: i.oauth,
        health: i.health,
      }));
      return institutions;
    },
    checkCredentials,
    async completeLink(input) {
      const result = core().completeLink({
        linkToken: input.linkToken,
        institutionId: input.institutionId,
        username: input.username,
        password: input.password,
        mfaAnswers: input.mfaAnswers,
        selectedAccountIds: input.selectedAccountIds,
      });
      if (result.status === 'error') throw fromBody(result.error);
      if (result.status === 'mfa_required') throw plaidError('INVALID_MFA');
      return {
        publicToken: result.publicToken,
        institution: result.institution,
        accounts: result.accounts.map((a) => ({ ...a, class_type: null })),
      };
    },
    newRequestId,
  };
}
