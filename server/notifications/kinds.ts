import { ITEM_ERROR_RULES, isItemErrorCode } from '../items/lifecycle';
/**
 * Which item states tell the person, and in what words: the one table for emails, reminders and
 * the in-app banner. Keyed by the item's status and the Plaid error or webhook code that put it
 * there (`item/status.changed` `to` + `reason`). The user action matches the lifecycle's
 * (server/items/lifecycle.ts, docs/ITEM-LIFECYCLE.md): 'update_mode', 'link_again',
 * 'link_another_bank'; 'wait' problems (the bank is down, rate limits) send nothing.
 *
 * Pure data and functions: the browser's banner imports it too.
 */

export type ItemStatusName = 'ACTIVE' | 'ERROR' | 'PENDING_DISCONNECT' | 'REVOKED' | 'REMOVED';
export type UserAction = 'update_mode' | 'link_again' | 'link_another_bank' | 'wait';

export const problemKinds = [
  'login_required',
  'pending_expiration',
  'pending_disconnect',
  'permission_revoked',
  'institution_unsupported',
] as const;
export type ProblemKind = (typeof problemKinds)[number];
export type NotificationKind = ProblemKind | 'new_accounts' | 'reconnected';

/** Plaid codes for a problem that passes by itself: no mail, the banner says to wait. */
const waitCodes = new Set([
  'INSTITUTION_DOWN',
  'INSTITUTION_NOT_RESPONDING',
  'INSTITUTION_NOT_AVAILABLE',
  'INSTITUTION_NO_LONGER_SUPPORTED_TEMPORARILY',
  'RATE_LIMIT_EXCEEDED',
  'ITEM_GET_LIMIT',
  'TRANSACTIONS_LIMIT',
  'INTERNAL_SERVER_ERROR',
  'PLANNED_MAINTENANCE',
  'PRODUCT_NOT_READY',
]);

/** Codes after which the connection cannot be repaired: link a different bank. */

/**
 * The problem an item's status and reason mean for its owner, or null when nothing needs them
 * (ACTIVE, REMOVED, or a problem to wait out).
 */
export function problemFor(status: ItemStatusName, reason: string | null): ProblemKind | null {
  if (status === 'PENDING_DISCONNECT') return reason === 'PENDING_EXPIRATION' ? 'pending_expiration' : 'pending_disconnect';
  if (status === 'REVOKED') return 'permission_revoked';
  if (status !== 'ERROR') return null;
  // The lifecycle's table decides what the error asks of the person (server/items/lifecycle.ts).
  if (reason && waitCodes.has(reason)) return null;
  const rule = isItemErrorCode(reason) ? ITEM_ERROR_RULES[reason] : null;
  if (rule && !rule.status) return null;
  if (rule?.action === 'link_another_bank') return 'institution_unsupported';
  if (rule?.action === 'link_again') return 'permission_revoked';
  // ITEM_LOGIN_REQUIRED, ITEM_LOCKED, USER_SETUP_REQUIRED, ACCESS_NOT_GRANTED, NO_ACCOUNTS, an ERROR we
  // do not know: the person fixes it through update mode (at the bank first, where the rule says so).
  return 'login_required';
}

export function actionFor(kind: NotificationKind): Exclude<UserAction, 'wait'> {
  if (kind === 'permission_revoked') return 'link_again';
  if (kind === 'institution_unsupported') return 'link_another_bank';
  return 'update_mode';
}

export interface Copy {
  subject: string;
  /** One line: what is wrong (email heading, banner headline). */
  headline: string;
  /** What probably happened. */
  happened: string;
  /** What stops working if ignored (null for good news). */
  ifIgnored: string | null;
  button: string;
  /** Why this person gets this email. */
  why: string;
}

const whyAlert = (bank: string) => `You're getting this because you connected ${bank} to Tributary and the connection needs you.`;

/** The words for one kind, with the bank's name (and a date when the bank gave one). */
export function copyFor(kind: NotificationKind, bank: string, opts: { deadline?: string | null } = {}): Copy {
  switch (kind) {
    case 'login_required':
      return {
        subject: `Reconnect ${bank} to keep your account up to date`,
        headline: `${bank} needs you to sign in again`,
        happened: `Your bank stopped accepting our connection. This usually means your login timed out, your password changed, or the bank wants to confirm it's you.`,
        ifIgnored: `Until you reconnect, we can't fetch new transactions or balances from ${bank}.`,
        button: 'Reconnect',
        why: whyAlert(bank),
      };
    case 'pending_expiration':
      return {
        subject: `Your consent for ${bank} ends ${opts.deadline ? `on ${opts.deadline}` : 'soon'}`,
        headline: `Your consent for ${bank} ends ${opts.deadline ? `on ${opts.deadline}` : 'soon'}`,
        happened: `Banks ask you to renew the permission to share your data from time to time. It only takes a minute.`,
        ifIgnored: `After that date we can no longer fetch transactions or balances from ${bank}.`,
        button: 'Renew access',
        why: whyAlert(bank),
      };
    case 'pending_disconnect':
      return {
        subject: `${bank} will stop sharing data ${opts.deadline ? `on ${opts.deadline}` : 'soon'}`,
        headline: `${bank} will stop sharing data ${opts.deadline ? `on ${opts.deadline}` : 'soon'}`,
        happened: `Your bank is changing how it connects to apps like Tributary and needs you to sign in once more.`,
        ifIgnored: `After that date we can no longer fetch transactions or balances from ${bank}.`,
        button: 'Reconnect',
        why: whyAlert(bank),
      };
    case 'permission_revoked':
      return {
        subject: `${bank} is no longer connected`,
        headline: `Tributary no longer has access to ${bank}`,
        happened: `Access was turned off at your bank, perhaps in its app or website. If you did this on purpose, there is nothing to do.`,
        ifIgnored: `We can't fetch transactions or balances from ${bank} until you link it again.`,
        button: 'Link again',
        why: whyAlert(bank),
      };
    case 'institution_unsupported':
      return {
        subject: `We can no longer connect to ${bank}`,
        headline: `We can no longer connect to ${bank}`,
        happened: `${bank} no longer works with our data provider, or has no accounts we can use. This cannot be fixed from your side.`,
        ifIgnored: `Features that rely on ${bank} stay out of date. Link another bank to keep them working.`,
        button: 'Link another bank',
        why: whyAlert(bank),
      };
    case 'new_accounts':
      return {
        subject: `${bank} has new accounts you can share`,
        headline: `${bank} has new accounts`,
        happened: `You opened a new account at ${bank}, or the bank now lets you share one you already had.`,
        ifIgnored: `Tributary won't see those accounts until you choose to share them. Your other accounts keep working.`,
        button: 'Choose accounts',
        why: `You're getting this because you connected ${bank} to Tributary.`,
      };
    case 'reconnected':
      return {
        subject: `${bank} is connected again`,
        headline: `${bank} is connected again`,
        happened: `Thanks for fixing the connection. We're fetching your latest transactions and balances now.`,
        ifIgnored: null,
        button: 'Open Tributary',
        why: `You're getting this because we told you ${bank} needed attention.`,
      };
  }
}

/** The digest's words when several banks need the person at once. */
export function digestCopy(banks: string[]): Pick<Copy, 'subject' | 'headline' | 'why'> {
  const names = banks.length === 2 ? `${banks[0]} and ${banks[1]}` : `${banks.slice(0, -1).join(', ')} and ${banks.at(-1)}`;
  return {
    subject: `${banks.length} of your banks need attention`,
    headline: `${names} need your attention`,
    why: `You're getting this because you connected these banks to Tributary and their connections need you.`,
  };
}
