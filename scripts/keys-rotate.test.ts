import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../db/client';
import { runMigrations } from '../db/migrate';
import { plaidAccounts, plaidItems, users } from '../db/schema';
import { createKeyring, decrypt, encrypt, keyIdOf } from '../server/crypto';

const run = promisify(execFile);
const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const dir = mkdtempSync(path.join(tmpdir(), 'tributary-rotate-'));
const dataDir = path.join(dir, 'pglite');

/** `npm run keys:rotate` as an operator runs it: a separate process, configured by env only. */
const rotate = (keys: string) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/keys-rotate.ts'], {
    env: { ...process.env, DATA_DIR: dir, ENCRYPTION_KEYS: keys, LOG_LEVEL: 'silent' },
  });

beforeAll(async () => {
  const h = openDb({ dataDir });
  await runMigrations(h);
  const old = createKeyring([{ id: 'a', key: Buffer.from(keyA, 'base64') }]);
  await h.db.insert(users).values({ id: 'u', name: 'U', email: 'u@example.com' });
  const [item] = await h.db.insert(plaidItems).values({ plaidItemId: 'pi-rotate', userId: 'u', accessTokenEnc: encrypt(old, 'access-sandbox-rotate-me') }).returning();
  await h.db.insert(plaidAccounts).values({
    id: 'acc', itemId: item!.id, name: 'Checking', type: 'depository',
    accountNumberEnc: encrypt(old, '1111222233330000'), routingNumberEnc: encrypt(old, '011401533'),
  });
  await h.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run keys:rotate', () => {
  it('refuses loudly and changes nothing when the old key is not listed', async () => {
    await expect(rotate(`b:${keyB}`)).rejects.toMatchObject({ stderr: expect.stringMatching(/No encryption key with id "a"/) });
    const h = openDb({ dataDir });
    const [item] = await h.db.select().from(plaidItems);
    await h.close();
    expect(keyIdOf(item!.accessTokenEnc)).toBe('a');
  }, 60_000);

  it('re-encrypts every secret under the new active key, after which the old key can go', async () => {
    const { stdout } = await rotate(`b:${keyB},a:${keyA}`);
    expect(stdout).toContain('Re-encrypted 1 access token(s) and 1 account(s) under key "b"');
    const h = openDb({ dataDir });
    const [item] = await h.db.select().from(plaidItems);
    const [account] = await h.db.select().from(plaidAccounts);
    await h.close();
    const onlyB = createKeyring([{ id: 'b', key: Buffer.from(keyB, 'base64') }]);
    expect(decrypt(onlyB, item!.accessTokenEnc)).toBe('access-sandbox-rotate-me');
    expect(decrypt(onlyB, account!.accountNumberEnc!)).toBe('1111222233330000');
    expect(decrypt(onlyB, account!.routingNumberEnc!)).toBe('011401533');
    const again = await rotate(`b:${keyB}`);
    expect(again.stdout).toContain('Re-encrypted 0 access token(s) and 0 account(s)');
  }, 120_000);
});
