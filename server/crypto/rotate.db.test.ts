import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { plaidAccounts, plaidItems, users } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { createKeyring, decrypt, encrypt, keyIdOf } from './cipher';
import { rotateSecrets } from './rotate';

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());

describe('rotateSecrets', () => {
  it('re-encrypts every token and account number under the active key, once', async () => {
    const oldRing = createKeyring([{ id: 'old', key: randomBytes(32) }]);
    await h.db.insert(users).values({ id: 'u-rot', name: 'R', email: 'rot@example.com' });
    const [item] = await h.db
      .insert(plaidItems)
      .values({ plaidItemId: 'item-rot', userId: 'u-rot', accessTokenEnc: encrypt(oldRing, 'access-sandbox-rot') })
      .returning();
    await h.db.insert(plaidAccounts).values({
      id: 'acc-rot',
      itemId: item!.id,
      name: 'Checking',
      type: 'depository',
      accountNumberEnc: encrypt(oldRing, '1111222233330000'),
      routingNumberEnc: encrypt(oldRing, '011401533'),
      wireRoutingNumberEnc: null,
    });

    const newRing = createKeyring([{ id: 'new', key: randomBytes(32) }, oldRing.active]);
    expect(await rotateSecrets(h.db, newRing)).toEqual({ items: 1, accounts: 1 });

    const [storedItem] = await h.db.select().from(plaidItems);
    const [storedAccount] = await h.db.select().from(plaidAccounts);
    expect(keyIdOf(storedItem!.accessTokenEnc)).toBe('new');
    expect(keyIdOf(storedAccount!.accountNumberEnc!)).toBe('new');
    expect(keyIdOf(storedAccount!.routingNumberEnc!)).toBe('new');
    expect(storedAccount!.wireRoutingNumberEnc).toBeNull();
    // Readable with the new key alone: the old key can now be retired.
    const onlyNew = createKeyring([newRing.active]);
    expect(decrypt(onlyNew, storedItem!.accessTokenEnc)).toBe('access-sandbox-rot');
    expect(decrypt(onlyNew, storedAccount!.accountNumberEnc!)).toBe('1111222233330000');

    expect(await rotateSecrets(h.db, newRing)).toEqual({ items: 0, accounts: 0 });
  });
});
