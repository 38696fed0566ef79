/**
 * What the Link stand-in needs from the emulator's core: read a link token, and turn a finished
 * Link session into a public token (creating the item, or repairing it in update mode). The core
 * raises `PlaidApiError`s (INVALID_LINK_TOKEN, INVALID_CREDENTIALS, ...); the stand-in shows them.
 */
export interface LinkTokenView {
  clientName: string;
  /** Set in update mode: the item's institution; Link goes straight to its credentials. */
  updateInstitutionId: string | null;
  redirectUri: string | null;
  /** Whether Link shows account selection (always for new items; opt-in in update mode). */
  accountSelectionEnabled: boolean;
  /** The accounts Link offers: the sandbox accounts, filtered by the token; the item's in update mode. */
  accounts: LinkAccount[];
}

/** An account as onSuccess metadata describes it. */
export interface LinkAccount {
  id: string;
  name: string;
  mask: string | null;
  type: string;
  subtype: string | null;
  verification_status: string | null;
  class_type: string | null;
}

export interface CompleteLinkInput {
  linkToken: string;
  linkSessionId: string;
  institutionId: string;
  username: string;
  password: string;
  /** Ids from `LinkTokenView.accounts` the user kept. */
  selectedAccountIds: string[];
}

export interface CompleteLinkResult {
  publicToken: string;
  institution: { name: string; institution_id: string };
  /** The item's accounts the user shared, with their real account ids. */
  accounts: LinkAccount[];
}

export interface LinkInstitutionView {
  institution_id: string;
  name: string;
  logo: string | null;
  primary_color: string | null;
  oauth: boolean;
  health: 'HEALTHY' | 'DEGRADED' | 'DOWN';
  /** Linking fails with this code before any credentials are checked (unsupported, down). */
  linkErrorCode: string | null;
}

export interface LinkBackend {
  describeLinkToken(linkToken: string): LinkTokenView;
  institutions(): LinkInstitutionView[];
  completeLink(input: CompleteLinkInput): Promise<CompleteLinkResult>;
  newRequestId(): string;
}
