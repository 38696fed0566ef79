import { sql } from 'drizzle-orm';
import type { AccountBase, NumbersACH } from 'plaid';
import type { Db, Tx } from '../../db/client';
import { plaidAccounts } from '../../db/schema';
import { encrypt, type Keyring } from '../crypto';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { callForItem } from './item-plaid';
import type { ItemRow } from './item-access';

const num = (v: number | null | undefined) => (v === null || v === undefined ? null : String(v));

/**
 * Upserts an item's accounts with their balances; account and routing numbers (when given) are
 * stored encrypted. Accounts Plaid no longer returns are not deleted here (see remine).
 */
export async function upsertAccounts(
  db: Db | Tx,
  keyring: Keyring,
  itemId: string,
  accounts: AccountBase[],
  ach: NumbersACH[] = [],
): Promise<void> {
  if (accounts.length === 0) return;
  const numbers = new Map(ach.map((n) => [n.account_id, n]));
  const now = new Date();
  const rows = accounts.map((a) => {
    const n = numbers.get(a.account_id);
    return {
      id: a.account_id,
      itemId,
      name: a.name,
      officialName: a.official_name ?? null,
      mask: a.mask ?? null,
      type: a.type,
      subtype: a.subtype ?? null,
      availableBalance: num(a.balances.available),
      currentBalance: num(a.balances.current),
      creditLimit: num(a.balances.limit),
      isoCurrencyCode: a.balances.iso_currency_code ?? null,
      unofficialCurrencyCode: a.balances.unofficial_currency_code ?? null,
      verificationStatus: a.verification_status ?? null,
      accountNumberEnc: n ? encrypt(keyring, n.account) : null,
      routingNumberEnc: n ? encrypt(keyring, n.routing) : null,
      wireRoutingNumberEnc: n?.wire_routing ? encrypt(keyring, n.wire_routing) : null,
      balancesUpdatedAt: now,
      removedAt: null,
      raw: { ...a },
      updatedAt: now,
    };
  });
  await db
    .insert(plaidAccounts)
    .values(rows)
    .onConflictDoUpdate({
      target: plaidAccounts.id,
      set: {
        name: sql`excluded.name`,
        officialName: sql`excluded.official_name`,
        mask: sql`excluded.mask`,
        type: sql`excluded.type`,
        subtype: sql`excluded.subtype`,
        availableBalance: sql`excluded.available_balance`,
        currentBalance: sql`excluded.current_balance`,
        creditLimit: sql`excluded.credit_limit`,
        isoCurrencyCode: sql`excluded.iso_currency_code`,
        unofficialCurrencyCode: sql`excluded.unofficial_currency_code`,
        verificationStatus: sql`excluded.verification_status`,
        // Keep stored numbers when this fetch had none (/accounts/get carries no numbers).
        accountNumberEnc: sql`coalesce(excluded.account_number_enc, ${plaidAccounts.accountNumberEnc})`,
        routingNumberEnc: sql`coalesce(excluded.routing_number_enc, ${plaidAccounts.routingNumberEnc})`,
        wireRoutingNumberEnc: sql`coalesce(excluded.wire_routing_number_enc, ${plaidAccounts.wireRoutingNumberEnc})`,
        balancesUpdatedAt: sql`excluded.balances_updated_at`,
        removedAt: sql`null`,
        raw: sql`excluded.raw`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}

/** The main account: the first checking account, else the first depository one, else the first. */
export function chooseMainAccount(accounts: AccountBase[]): string | null {
  return (
    accounts.find((a) => a.subtype === 'checking')?.account_id ??
    accounts.find((a) => a.type === 'depository')?.account_id ??
    accounts[0]?.account_id ??
    null
  );
}

/**
 * Plaid errors of /auth/get that mean "no ACH numbers for this item", not "something is wrong":
 * no checking/savings account, or Auth not on the item (the bank lacks it: Link takes Auth only
 * where supported). Accounts are then stored without numbers.
 */
const NO_NUMBERS = new Set(['NO_AUTH_ACCOUNTS', 'PRODUCTS_NOT_SUPPORTED', 'INVALID_PRODUCT', 'PRODUCT_NOT_ENABLED']);

/**
 * Fetches an item's accounts with their numbers (/auth/get), falling back to /accounts/get when
 * the item has no numbers to give, stores them, and returns the main account id. Used wherever
 * accounts are stored from Plaid at the user's hand: link, update mode.
 */
export async function fetchAndStoreAccounts(db: Db, deps: AppDeps, item: ItemRow, log?: Logger): Promise<string | null> {
  let accounts: AccountBase[];
  let ach: NumbersACH[] = [];
  try {
    const auth = await callForItem(db, deps, item, '/auth/get', (access_token) => deps.plaid.authGet({ access_token }), log);
    accounts = auth.accounts;
    ach = auth.numbers.ach;
  } catch (err) {
    const noNumbers = err instanceof AppError && (err.code === 'BAD_REQUEST' || NO_NUMBERS.has(err.plaidErrorCode ?? ''));
    if (!noNumbers) throw err;
    log?.info({ plaid_error: err.plaidErrorCode }, 'No auth numbers for this item; storing accounts without them');
    accounts = (await callForItem(db, deps, item, '/accounts/get', (access_token) => deps.plaid.accountsGet({ access_token }), log)).accounts;
  }
  await upsertAccounts(db, deps.keyring, item.id, accounts, ach);
  return chooseMainAccount(accounts);
}
