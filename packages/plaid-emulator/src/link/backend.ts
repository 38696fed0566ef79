/**
 * What the Link stand-in needs from the emulator's core: read a link token, check sandbox
 * credentials, and turn a finished Link session into a public token (creating the item, or
 * repairing it in update mode). Failures are `PlaidApiError`s, which the stand-in shows.
 * `core-backend.ts` implements it over the core's `core/link-completion.ts`.
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
  /** Every MFA answer the user gave, in order. */
  mfaAnswers: string[];
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
}

export interface LinkBackend {
  /** Throws INVALID_LINK_TOKEN for an unknown, expired or spent token. */
  describeLinkToken(linkToken: string): LinkTokenView;
  /** Every institution; with a link token, only those Link offers for its `products`. */
  institutions(linkToken?: string): LinkInstitutionView[];
  /** Throws the error Link shows for these sandbox credentials (error_<CODE>, INVALID_CREDENTIALS, ...). */
  checkCredentials(institutionId: string, username: string, password: string): void;
  completeLink(input: CompleteLinkInput): Promise<CompleteLinkResult>;
  newRequestId(): string;
}
