import type { Ctx } from '../core/context';
import { plaidError } from '../core/errors';
import { newRequestId } from '../core/ids';
import { INSTITUTIONS, institutionLogo, supportsAll } from '../core/institutions';
import { checkCredentials } from '../core/items';
import { completeLink, describeLinkToken, linkAccountChoices } from '../core/link-completion';
import type { LinkBackend } from './backend';

/** The Link stand-in's backend over the emulator's core: its Link contract (`core/link-completion.ts`) adapted to `LinkBackend`. */
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
    institutions: (linkToken) => {
      // Link offers only institutions that support every product in the token's `products`.
      const wanted = linkToken ? ctx.state.linkTokens[linkToken]?.products ?? [] : [];
      return INSTITUTIONS.filter((s) => supportsAll(s, wanted)).map((s) => ({
        institution_id: s.id,
        name: s.name,
        logo: institutionLogo(s),
        primary_color: s.color,
        oauth: s.oauth,
        health: s.health,
      }));
    },
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
