import { type AnyColumn, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidAccounts, plaidItems } from '../../db/schema';
import { resealAccountNumbers } from '../accounts/account-writes';
import { decrypt, encrypt, type Keyring } from './cipher';

/** True when a (possibly null) ciphertext column holds a value sealed under another key. */
const notUnderActive = (column: AnyColumn, activeId: string) =>
  sql<boolean>`coalesce(${column} not like ${`v1.${activeId}.%`}, false)`;

/**
 * Re-encrypts every secret not yet under the active key. Each row is rewritten in its own
 * statement, so a crash midway leaves every value readable (old key or new) and a rerun finishes.
 */
export async function rotateSecrets(db: Db, keyring: Keyring): Promise<{ items: number; accounts: number }> {
  const activeId = keyring.active.id;
  const reseal = (value: string | null) => (value === null ? null : encrypt(keyring, decrypt(keyring, value)));

  const items = await db
    .select({ id: plaidItems.id, token: plaidItems.accessTokenEnc })
    .from(plaidItems)
    .where(notUnderActive(plaidItems.accessTokenEnc, activeId));
  for (const item of items) {
    await db.update(plaidItems).set({ accessTokenEnc: reseal(item.token)! }).where(sql`${plaidItems.id} = ${item.id}`);
  }

  const accounts = await db
    .select({
      id: plaidAccounts.id,
      account: plaidAccounts.accountNumberEnc,
      routing: plaidAccounts.routingNumberEnc,
      wire: plaidAccounts.wireRoutingNumberEnc,
    })
    .from(plaidAccounts)
    .where(
      or(
        notUnderActive(plaidAccounts.accountNumberEnc, activeId),
        notUnderActive(plaidAccounts.routingNumberEnc, activeId),
        notUnderActive(plaidAccounts.wireRoutingNumberEnc, activeId),
      ),
    );
  for (const a of accounts) {
    await resealAccountNumbers(db, a.id, { accountNumberEnc: reseal(a.account), routingNumberEnc: reseal(a.routing), wireRoutingNumberEnc: reseal(a.wire) });
  }
  return { items: items.length, accounts: accounts.length };
}
