import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { plaidAccounts, plaidItems } from '../db/schema';
import { realTimeBalances } from './accounts/account-queries';
import type { AppDeps } from './deps';
import { AppError } from './errors';
import type { Logger } from './logger';

export type BalanceCheck =
  | { ok: true; itemId: string; available: string; currency: string }
  | { ok: false; sentence: string };

const cents = (v: string | number) => Math.round(Number(v) * 100);
const dollars = (c: number) => (c / 100).toFixed(2);

/** Why a balance could not be read, in words for the support person (the customer's banner says the rest). */
function unreadable(err: unknown): string {
  const code = err instanceof AppError ? err.code : 'INTERNAL';
  if (code === 'ITEM_LOGIN_REQUIRED' || code === 'PRECONDITION_FAILED') {
    return 'the bank connection needs the customer’s attention first (their dashboard tells them what to do).';
  }
  if (code === 'PLAID_RETRY_LATER' || code === 'TOO_MANY_REQUESTS') return 'the bank did not answer. Try again in a few minutes.';
  return 'something went wrong on our side. Try again in a few minutes.';
}

/**
 * The user's main account — the main account of their oldest connected bank, a working one
 * before one in error — read in real time with /accounts/balance/get (through the item door, so a
 * Plaid item error moves the item as the lifecycle says), and held against the amount asked for.
 * Only the available balance counts: a bank that reports none (null) gets a refusal, not a guess.
 */
export async function checkMainBalance(
  db: Db,
  deps: AppDeps,
  input: { userId: string; amount: string },
  log?: Logger,
): Promise<BalanceCheck> {
  const [main] = await db
    .select({ item: plaidItems, accountName: plaidAccounts.name, mask: plaidAccounts.mask })
    .from(plaidItems)
    .innerJoin(plaidAccounts, eq(plaidAccounts.id, plaidItems.mainAccountId))
    .where(and(eq(plaidItems.userId, input.userId), inArray(plaidItems.status, ['ACTIVE', 'PENDING_DISCONNECT', 'ERROR']), isNotNull(plaidItems.mainAccountId)))
    .orderBy(sql`${plaidItems.status} = 'ERROR'`, asc(plaidItems.createdAt))
    .limit(1);
  if (!main) return { ok: false, sentence: 'No float was created: the customer has no connected bank with a main account.' };
  const { item } = main;
  const where = `the main account (${main.accountName}${main.mask ? ` ending ${main.mask}` : ''} at ${item.institutionName ?? 'their bank'})`;
  const cannotRead = (why: string) => ({ ok: false as const, sentence: `No float was created: we could not read the balance of ${where}: ${why}` });
  if (item.status === 'ERROR') return cannotRead('the bank connection needs the customer’s attention first (their dashboard tells them what to do).');
  let account;
  try {
    const read = await realTimeBalances(db, deps, { userId: input.userId, itemId: item.id, accountIds: [item.mainAccountId!] }, log);
    account = read.accounts.find((a) => a.id === item.mainAccountId);
  } catch (err) {
    log?.warn({ item_id: item.id, err }, 'Float refused: real-time balance unreadable');
    return cannotRead(unreadable(err));
  }
  if (!account) return cannotRead('the bank gave no balance for it.');
  // Plaid: use the available balance for real-time decisions; not every bank works one out, and then
  // it is null. The current balance is no stand-in: it leaves out pending payments (and on a card it
  // is money owed), and neither PLAID.md nor Plaid's contract says to fall back to it.
  const balance = account.availableBalance;
  if (balance === null || balance === undefined) {
    return {
      ok: false,
      sentence: `No float was created: the bank does not report an available balance for ${where}, so we cannot tell how much money is there to cover it.`,
    };
  }
  const currency = account.isoCurrencyCode ?? 'USD';
  if (currency !== 'USD') return { ok: false, sentence: `No float was created: ${where} is in ${currency}, and floats are granted in USD.` };
  if (cents(balance) < cents(input.amount)) {
    return {
      ok: false,
      sentence: `No float was created: ${where} has $${dollars(cents(balance))} available, less than the $${dollars(cents(input.amount))} asked for.`,
    };
  }
  return { ok: true, itemId: item.id, available: dollars(cents(balance)), currency };
}
