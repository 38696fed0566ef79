import type { Products } from 'plaid';
import type { Ctx } from './context';
import { PlaidApiError, plaidError } from './errors';
import { newLinkSessionId, newPublicToken } from './ids';
import { SANDBOX_ACCOUNTS } from './data/accounts';
import { findInstitution, supportsAll } from './institutions';
import { checkRepairable, repairThroughUpdateMode, updateModeChoices } from './item-state';
import { checkCredentials, createItem } from './items';

/**
 * Link as the core sees it: what a link token allows, and finishing a Link session against the
 * state. The Link stand-in (`../link/`) reaches these only through `link/core-backend.ts`, and
 * `emulator.link` exposes them to code that links without a browser (tests, benchmarks); neither
 * touches the state directly.
 *
 * - `describeLinkToken(token)` tells the UI how to open: new item or update mode, which
 *   institution (update mode), products, account filters, redirect URI.
 * - `completeLink(input)` checks the sandbox credentials (and MFA) and, on success, creates the
 *   item (new mode) or repairs it (update mode), returning what `onSuccess` needs.
 */
export interface LinkTokenDescription {
  valid: boolean;
  expired: boolean;
  mode: 'new' | 'update';
  /** Update mode: the item being repaired and its institution. */
  itemId?: string;
  institutionId?: string;
  products: Products[];
  accountFilters: Record<string, { account_subtypes: string[] }> | null;
  redirectUri: string | null;
  clientUserId: string | null;
  clientName: string | null;
  webhook: string | null;
  accountSelectionEnabled: boolean;
}

export function describeLinkToken(ctx: Ctx, linkToken: string): LinkTokenDescription {
  const rec = ctx.state.linkTokens[linkToken];
  if (!rec) {
    return { valid: false, expired: false, mode: 'new', products: [], accountFilters: null, redirectUri: null, clientUserId: null, clientName: null, webhook: null, accountSelectionEnabled: false };
  }
  const item = rec.itemId ? ctx.state.items[rec.itemId] : undefined;
  const expired = ctx.nowMs() >= rec.expiresAt;
  return {
    valid: !expired && (!rec.itemId || (item !== undefined && !item.removed)),
    expired,
    mode: rec.itemId ? 'update' : 'new',
    ...(item ? { itemId: item.itemId, institutionId: item.institutionId } : {}),
    products: rec.products,
    accountFilters: rec.accountFilters,
    redirectUri: rec.redirectUri,
    clientUserId: rec.clientUserId,
    clientName: rec.clientName,
    webhook: rec.webhook,
    accountSelectionEnabled: rec.accountSelectionEnabled,
  };
}

export interface CompleteLinkInput {
  linkToken: string;
  /** Ignored in update mode (the item's institution is used). */
  institutionId: string;
  username: string;
  password: string;
  /**
   * Every MFA answer given so far, in order. `mfa_device` wants `['1234']`;
   * `mfa_questions_<n>_<m>` wants n×m answers `answer_<round>_<question>` (1-based);
   * `mfa_selections` wants `['Yes']`.
   */
  mfaAnswers?: string[];
  /** Account ids from a previous `accounts` answer (or positions as strings: '0', '1'); omitted = all allowed. */
  selectedAccountIds?: string[];
}

export interface LinkAccountMeta { id: string; name: string; mask: string | null; type: string; subtype: string | null; verification_status: null }

export type CompleteLinkResult =
  | {
      status: 'success';
      publicToken: string;
      institution: { name: string; institution_id: string };
      accounts: LinkAccountMeta[];
      linkSessionId: string;
    }
  | {
      status: 'mfa_required';
      mfaType: 'device' | 'questions' | 'selections';
      /** Prompts for the next round (questions: m questions; device: one code prompt). */
      prompts: { question: string; choices?: string[] }[];
    }
  | { status: 'error'; error: ReturnType<PlaidApiError['toBody']> };

function mfaStep(password: string, answers: string[]): CompleteLinkResult | 'ok' | PlaidApiError {
  if (password === 'mfa_device') {
    if (answers.length === 0) return { status: 'mfa_required', mfaType: 'device', prompts: [{ question: 'Enter the code sent to your device (sandbox: 1234)' }] };
    return answers[0] === '1234' ? 'ok' : plaidError('INVALID_MFA');
  }
  if (password === 'mfa_selections') {
    if (answers.length === 0) return { status: 'mfa_required', mfaType: 'selections', prompts: [{ question: 'Did you grow up on a farm?', choices: ['Yes', 'No'] }] };
    return answers[0] === 'Yes' ? 'ok' : plaidError('INVALID_MFA');
  }
  const q = /^mfa_questions_(\d+)_(\d+)$/.exec(password);
  if (q) {
    const rounds = Number(q[1]);
    const perRound = Number(q[2]);
    const expected: string[] = [];
    for (let i = 1; i <= rounds; i++) for (let j = 1; j <= perRound; j++) expected.push(`answer_${i}_${j}`);
    for (let k = 0; k < answers.length && k < expected.length; k++) if (answers[k] !== expected[k]) return plaidError('INVALID_MFA');
    if (answers.length >= expected.length) return 'ok';
    const round = Math.floor(answers.length / perRound) + 1;
    return { status: 'mfa_required', mfaType: 'questions', prompts: Array.from({ length: perRound }, (_, j) => ({ question: `Question ${round}.${j + 1} (sandbox answer: answer_${round}_${j + 1})` })) };
  }
  return 'ok';
}

/**
 * The accounts Link offers for selection, after the token's account filters. In new mode the ids
 * are positions ('0', '1', ...) because the item does not exist yet; in update mode they are the
 * item's real account ids. Pass the chosen ids back as `selectedAccountIds`.
 */
export function linkAccountChoices(ctx: Ctx, linkToken: string): LinkAccountMeta[] {
  const desc = describeLinkToken(ctx, linkToken);
  if (desc.mode === 'update' && desc.itemId) {
    const item = ctx.state.items[desc.itemId];
    const accounts = item ? (desc.accountSelectionEnabled ? updateModeChoices(item) : item.accounts) : [];
    return accounts.map((a) => ({ id: a.account.account_id, name: a.account.name, mask: a.account.mask, type: a.account.type, subtype: a.account.subtype, verification_status: null }));
  }
  return SANDBOX_ACCOUNTS.map((t, i) => ({ id: String(i), name: t.name, mask: t.mask, type: t.type, subtype: t.subtype, verification_status: null as null }))
    .filter((a) => passesFilters(desc.accountFilters, a.type, a.subtype));
}

function passesFilters(filters: LinkTokenDescription['accountFilters'], type: string, subtype: string | null): boolean {
  if (!filters) return true;
  const f = filters[type];
  return !!f && (!subtype || f.account_subtypes.includes('all') || f.account_subtypes.includes(subtype));
}

export function completeLink(ctx: Ctx, input: CompleteLinkInput, requestId = ''): CompleteLinkResult {
  try {
    return complete(ctx, input);
  } catch (e) {
    if (e instanceof PlaidApiError) return { status: 'error', error: e.toBody(requestId) };
    throw e;
  }
}

function complete(ctx: Ctx, input: CompleteLinkInput): CompleteLinkResult {
  const desc = describeLinkToken(ctx, input.linkToken);
  if (!desc.valid) throw plaidError('INVALID_LINK_TOKEN');
  const rec = ctx.state.linkTokens[input.linkToken];
  if (!rec) throw plaidError('INVALID_LINK_TOKEN');
  const institutionId = desc.mode === 'update' ? (desc.institutionId ?? '') : input.institutionId;
  checkCredentials(institutionId, input.username, input.password);
  const mfa = mfaStep(input.password, input.mfaAnswers ?? []);
  if (mfa instanceof PlaidApiError) throw mfa;
  if (mfa !== 'ok') return mfa;
  const inst = findInstitution(institutionId);
  if (!inst) throw plaidError('INVALID_INSTITUTION');

  let item;
  if (desc.mode === 'update' && desc.itemId) {
    const existing = ctx.state.items[desc.itemId];
    if (existing) checkRepairable(existing);
  }
  if (desc.mode === 'update' && desc.itemId) {
    item = ctx.state.items[desc.itemId];
    if (!item) throw plaidError('ITEM_NOT_FOUND');
    // Same item, same access token: the login state, deadlines and revoked accounts are repaired,
    // and with account selection the user picks the shared accounts (new ones included). A repair
    // in the app's own update mode fires no LOGIN_REPAIRED (Plaid fires it for repairs elsewhere).
    repairThroughUpdateMode(ctx, item, rec.accountSelectionEnabled && input.selectedAccountIds ? input.selectedAccountIds : null);
  } else {
    if (!supportsAll(inst, rec.products)) throw plaidError('PRODUCTS_NOT_SUPPORTED', `${inst.name} does not support ${rec.products.filter((p) => !inst.products.includes(p)).join(', ')}`);
    const extra = (ps: Products[] | undefined) => (ps ?? []).filter((p) => inst.products.includes(p) && !rec.products.includes(p));
    const filters = rec.accountFilters;
    const selected = input.selectedAccountIds;
    item = createItem(ctx, {
      institutionId,
      products: [...rec.products, ...extra(rec.requiredIfSupported)],
      optionalProducts: extra(rec.optionalProducts),
      username: input.username,
      password: input.password,
      webhook: rec.webhook,
      daysRequested: rec.daysRequested,
      keepAccount: (a) => passesFilters(filters, a.type, a.subtype) && (!selected || selected.includes(String(a.index))),
    });
  }
  const publicToken = newPublicToken();
  ctx.state.publicTokens[publicToken] = { token: publicToken, itemId: item.itemId, expiresAt: ctx.nowMs() + 30 * 60_000, used: false };
  ctx.changed();
  return {
    status: 'success',
    publicToken,
    institution: { name: inst.name, institution_id: inst.id },
    accounts: item.accounts.map((a) => ({
      id: a.account.account_id,
      name: a.account.name,
      mask: a.account.mask,
      type: a.account.type,
      subtype: a.account.subtype,
      verification_status: null,
    })),
    linkSessionId: newLinkSessionId(),
  };
}
