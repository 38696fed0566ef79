import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AccountBase, NumbersACH } from 'plaid';
import type { Db, Tx } from '../../db/client';
import { accountBalanceSnapshots, plaidAccounts, plaidItems } from '../../db/schema';
import { encrypt, type Keyring } from '../crypto';
import { appendToOutbox } from '../streams/outbox';
import { accountChangeRecords } from '../streams/page-records';
import type { PlaidAccountInput } from '../streams/plaid-input';
import type { AccountChange, RecordContext } from '../streams/records';

/**
 * THE write path of plaid_accounts. Every change to an account — a sync page, a live read
 * (accounts.live), a balance read (accounts.balance), link and update mode, a re-mine's
 * reconciliation — goes through writeAccounts, which writes the rows, bumps the version of each
 * account that really changed and appends its stream records, in the caller's database
 * transaction; it also keeps each account's balance of the day (account_balance_snapshots), the
 * history the dashboard's net worth chart is drawn from. test/layout/write-paths.test.ts fails if
 * any other module writes either table.
 */

export interface AccountWrites {
  added: string[];
  modified: string[];
  removed: string[];
}

export interface WriteAccountsOptions {
  /** ACH numbers (/auth/get): stored encrypted; not part of any record. */
  ach?: readonly NumbersACH[];
  /** Accounts of the item not in `accounts` are marked removed (re-mine). */
  removeMissing?: boolean;
}

type StoredAccount = { id: string; raw: unknown; removedAt: Date | null; version: number };

/** What a consumer of account records cares about; other fields Plaid adds do not make a change. */
function fingerprint(a: Pick<AccountBase, 'name' | 'official_name' | 'mask' | 'type' | 'subtype' | 'balances' | 'verification_status'>) {
  const b = a.balances;
  return JSON.stringify([
    a.name, a.official_name ?? null, a.mask ?? null, a.type, a.subtype ?? null, a.verification_status ?? null,
    b.available ?? null, b.current ?? null, b.limit ?? null, b.iso_currency_code ?? null, b.unofficial_currency_code ?? null,
  ]);
}

const num = (v: number | null | undefined) => (v === null || v === undefined ? null : String(v));

// The SDK's interfaces carry no index signature; the record builders parse loosely at run time.
const asInput = (a: AccountBase) => a as unknown as PlaidAccountInput;

/**
 * Stores an item's accounts as Plaid gave them. New accounts and accounts whose content changed
 * (or that come back after removal) are written with the next version and published; unchanged
 * ones only get their balance time (and numbers, when given) refreshed, with no record. The item's
 * row is locked first, so two writers of one item's accounts take turns and versions never collide.
 */
export async function writeAccounts(
  tx: Tx,
  keyring: Keyring,
  ctx: RecordContext,
  accounts: readonly AccountBase[],
  o: WriteAccountsOptions = {},
): Promise<AccountWrites> {
  await tx.select({ id: plaidItems.id }).from(plaidItems).where(eq(plaidItems.id, ctx.itemId)).for('update');
  const stored: StoredAccount[] = await tx
    .select({ id: plaidAccounts.id, raw: plaidAccounts.raw, removedAt: plaidAccounts.removedAt, version: plaidAccounts.version })
    .from(plaidAccounts)
    .where(eq(plaidAccounts.itemId, ctx.itemId));
  const known = new Map(stored.map((s) => [s.id, s]));
  const numbers = new Map((o.ach ?? []).map((n) => [n.account_id, n]));
  const now = new Date();
  const changes: AccountChange[] = [];
  const out: AccountWrites = { added: [], modified: [], removed: [] };
  const rows: (typeof plaidAccounts.$inferInsert)[] = [];
  const untouched: string[] = [];
  for (const a of accounts) {
    const before = known.get(a.account_id);
    const changed = !before || before.removedAt !== null || !before.raw || fingerprint(before.raw as AccountBase) !== fingerprint(a);
    const n = numbers.get(a.account_id);
    if (!changed && !n) {
      untouched.push(a.account_id);
      continue;
    }
    const version = changed ? (before?.version ?? 0) + 1 : before!.version;
    if (changed) {
      const changeType = before ? 'modified' : 'added';
      out[changeType].push(a.account_id);
      changes.push({ changeType, account: asInput(a), version });
    }
    rows.push({
      id: a.account_id, itemId: ctx.itemId, name: a.name, officialName: a.official_name ?? null, mask: a.mask ?? null,
      type: a.type, subtype: a.subtype ?? null,
      availableBalance: num(a.balances.available), currentBalance: num(a.balances.current), creditLimit: num(a.balances.limit),
      isoCurrencyCode: a.balances.iso_currency_code ?? null, unofficialCurrencyCode: a.balances.unofficial_currency_code ?? null,
      verificationStatus: a.verification_status ?? null,
      accountNumberEnc: n ? encrypt(keyring, n.account) : null,
      routingNumberEnc: n ? encrypt(keyring, n.routing) : null,
      wireRoutingNumberEnc: n?.wire_routing ? encrypt(keyring, n.wire_routing) : null,
      balancesUpdatedAt: now, removedAt: null,
      // An unchanged account keeps the stored object: the row stays what its last record said.
      raw: changed ? { ...a } : before!.raw, version, updatedAt: now,
    });
  }
  if (rows.length > 0) {
    await tx.insert(plaidAccounts).values(rows).onConflictDoUpdate({
      target: plaidAccounts.id,
      set: {
        name: sql`excluded.name`, officialName: sql`excluded.official_name`, mask: sql`excluded.mask`,
        type: sql`excluded.type`, subtype: sql`excluded.subtype`,
        availableBalance: sql`excluded.available_balance`, currentBalance: sql`excluded.current_balance`,
        creditLimit: sql`excluded.credit_limit`, isoCurrencyCode: sql`excluded.iso_currency_code`,
        unofficialCurrencyCode: sql`excluded.unofficial_currency_code`, verificationStatus: sql`excluded.verification_status`,
        // Keep stored numbers when this fetch had none (/accounts/get carries no numbers).
        accountNumberEnc: sql`coalesce(excluded.account_number_enc, ${plaidAccounts.accountNumberEnc})`,
        routingNumberEnc: sql`coalesce(excluded.routing_number_enc, ${plaidAccounts.routingNumberEnc})`,
        wireRoutingNumberEnc: sql`coalesce(excluded.wire_routing_number_enc, ${plaidAccounts.wireRoutingNumberEnc})`,
        balancesUpdatedAt: sql`excluded.balances_updated_at`, removedAt: sql`null`, raw: sql`excluded.raw`,
        version: sql`excluded.version`, updatedAt: sql`excluded.updated_at`,
      },
    });
  }
  if (untouched.length > 0) {
    await tx.update(plaidAccounts).set({ balancesUpdatedAt: now }).where(inArray(plaidAccounts.id, untouched));
  }
  await snapshotBalances(tx, accounts, now);
  if (o.removeMissing) {
    const keep = new Set(accounts.map((a) => a.account_id));
    for (const s of stored) {
      if (keep.has(s.id) || s.removedAt !== null) continue;
      const version = s.version + 1;
      await tx.update(plaidAccounts).set({ removedAt: now, version, updatedAt: now }).where(eq(plaidAccounts.id, s.id));
      out.removed.push(s.id);
      changes.push({ changeType: 'removed', account: { account_id: s.id }, version });
    }
  }
  await appendToOutbox(tx, accountChangeRecords(ctx, changes));
  return out;
}

/** Today's (UTC) balance of each account just stored; a later read on the same day replaces it. */
async function snapshotBalances(tx: Tx, accounts: readonly AccountBase[], now: Date): Promise<void> {
  if (accounts.length === 0) return;
  const day = now.toISOString().slice(0, 10);
  await tx
    .insert(accountBalanceSnapshots)
    .values(accounts.map((a) => ({
      accountId: a.account_id, day, takenAt: now,
      currentBalance: num(a.balances.current), availableBalance: num(a.balances.available),
      isoCurrencyCode: a.balances.iso_currency_code ?? null,
    })))
    .onConflictDoUpdate({
      target: [accountBalanceSnapshots.accountId, accountBalanceSnapshots.day],
      set: {
        currentBalance: sql`excluded.current_balance`, availableBalance: sql`excluded.available_balance`,
        isoCurrencyCode: sql`excluded.iso_currency_code`, takenAt: sql`excluded.taken_at`,
      },
    });
}

/** A revoked item's account and routing numbers are deleted (no record: numbers are never published). */
export async function clearAccountNumbers(db: Db | Tx, itemId: string): Promise<void> {
  await db
    .update(plaidAccounts)
    .set({ accountNumberEnc: null, routingNumberEnc: null, wireRoutingNumberEnc: null })
    .where(eq(plaidAccounts.itemId, itemId));
}

/**
 * AUTH DEFAULT_UPDATE: the bank changed these accounts' numbers, so the stored ones must not be
 * used again; cleared before the new ones (if any) are written, in the caller's transaction.
 */
export async function clearNumbersOf(tx: Tx, itemId: string, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await tx
    .update(plaidAccounts)
    .set({ accountNumberEnc: null, routingNumberEnc: null, wireRoutingNumberEnc: null })
    .where(and(eq(plaidAccounts.itemId, itemId), inArray(plaidAccounts.id, [...accountIds])));
}

/** Key rotation: one account's numbers, re-sealed under the active key (no record). */
export async function resealAccountNumbers(
  db: Db | Tx,
  accountId: string,
  sealed: { accountNumberEnc: string | null; routingNumberEnc: string | null; wireRoutingNumberEnc: string | null },
): Promise<void> {
  await db.update(plaidAccounts).set(sealed).where(and(eq(plaidAccounts.id, accountId)));
}
