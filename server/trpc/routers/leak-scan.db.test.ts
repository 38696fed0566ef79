import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidAccounts, plaidItems, plaidTransactions } from '../../../db/schema';
import { createHarness, type Harness } from '../../../test/support/harness';
import { decrypt } from '../../crypto';
import { redactPaths } from '../../logger';

// Everything the API says and logs during a full journey, scanned for secrets.
const logLines: string[] = [];
const capture = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});
const log = pino({ level: 'trace', redact: { paths: redactPaths, censor: '[redacted]' } }, capture);

let h: Harness;
beforeAll(async () => {
  h = await createHarness({}, log);
});
afterAll(() => h.close());

describe('leak scan', () => {
  it('no response or log line carries an access token, public token, secret or full account/routing number', async () => {
    const user = await h.createUser();
    const staff = await h.createUser('support');
    const { item, publicToken } = await h.linkBank(user);
    await h.db.insert(plaidTransactions).values({
      id: 'leak-tx', itemId: item.id, accountId: item.mainAccountId!, amount: '12.34', date: '2026-11-01', name: 'Coffee', pending: false,
    });
    const api = h.caller(user);
    const support = h.caller(staff);
    const responses: unknown[] = [
      await api.me.get(),
      await api.items.list({ include: { accounts: true, logos: true } }),
      await api.items.byId({ itemId: item.id }),
      await api.accounts.cached(),
      await api.accounts.live({ itemId: item.id }),
      await api.accounts.balance({ itemId: item.id }),
      await api.transactions.cached({ limit: 50 }),
      await api.transactions.live({ itemId: item.id, from: '2026-10-01', to: '2026-11-30' }),
      await api.link.createToken(),
      await api.items.canChange(),
      await support.support.items.list(),
      await support.support.users.search({ query: user.email }),
      await support.support.webhooks.list(),
      await support.support.audit.list(),
      await api.items.resetLogin({ itemId: item.id }),
      await api.accounts.live({ itemId: item.id }).catch((e: unknown) => ({ error: String(e), cause: (e as { cause?: unknown }).cause })),
      await api.items.remine({ itemId: item.id }),
      await support.support.items.republish({ itemId: item.id, reason: 'leak scan' }),
      await support.support.items.forceRemove({ itemId: item.id, reason: 'leak scan' }),
    ];

    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    const accessToken = decrypt(h.deps.keyring, row!.accessTokenEnc);
    const accounts = await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, item.id));
    const numbers = accounts.flatMap((a) =>
      [a.accountNumberEnc, a.routingNumberEnc, a.wireRoutingNumberEnc].filter((x): x is string => x !== null).map((c) => decrypt(h.deps.keyring, c)),
    );
    expect(numbers.length).toBeGreaterThan(0);
    const secrets = [accessToken, publicToken, ...numbers];

    const said = JSON.stringify(responses);
    const logged = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(said, 'a response').not.toContain(secret);
      expect(logged, 'a log line').not.toContain(secret);
    }
    expect(said).not.toMatch(/access-(sandbox|production)-/);
    // At rest: the database holds them only encrypted.
    expect(row!.accessTokenEnc).not.toContain(accessToken);
    for (const a of accounts) expect(JSON.stringify(a)).not.toMatch(new RegExp(numbers.join('|')));
  });
});
