import type { Ctx } from './context';
import { plaidError } from './errors';
import { newRequestId } from './ids';
import { INSTITUTIONS, institutionLogo } from './institutions';
import { checkCredentials } from './items';
import { completeLink, describeLinkToken, linkAccountChoices } from './link-api';
import type { LinkBackend } from './link/backend';

/** Adapts the core's Link contract (`link-api.ts`) to the interface the Link stand-in expects. */
export function createLinkBackend(ctx: Ctx): LinkBackend {
  return {
    describeLinkToken(linkToken) {
      const d = describeLinkToken(ctx, linkToken);
      if (!d.valid) throw plaidError('INVALID_LINK_TOKEN', d.expired ? 'link token has expired' : 'link token is unknown or its item was removed');
      return {
        clientName: d.clientName ?? '',
        updateInstitutionId: d.mode === 'update' ? (d.institutionId ?? null) : null,
        redirectUri: d.redirectUri,
        accountSelectionEnabled: d.accountSelectionEnabled,
        accounts: linkAccountChoices(ctx, linkToken).map((a) => ({ ...a, class_type: null })),
      };
    },
    institutions: () =>
      INSTITUTIONS.map((s) => ({
        institution_id: s.id,
        name: s.name,
        logo: institutionLogo(s),
        primary_color: s.color,
        oauth: s.oauth,
        health: s.health,
      })),
    checkCredentials,
    async completeLink(input) {
      const result = completeLink(ctx, {
        linkToken: input.linkToken,
        institutionId: input.institutionId,
        username: input.username,
        password: input.password,
        mfaAnswers: input.mfaAnswers,
        selectedAccountIds: input.selectedAccountIds,
      });
      if (result.status === 'error') throw plaidError(result.error.error_code, undefined);
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
