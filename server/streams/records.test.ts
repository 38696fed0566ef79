import { describe, expect, it } from 'vitest';
import { accountChangeRecords, transactionPageRecords } from './page-records';
import { rawAccountRecord, rawTransactionRecord, refinedAccountRecord, refinedTransactionRecord, sequencedJson } from './records';
import { rawRecord, refinedAccount, refinedTransaction } from './refined-schema';
import { fakePlaidAccount, fakePlaidTransaction } from '../../test/support/streams';

const ctx = {
  userId: 'user_1',
  itemId: '6f1c7f0e-8a2b-4c1d-9e3f-0a1b2c3d4e5f',
  receivedAt: new Date('2024-03-05T10:00:00.000Z'),
  institution: { id: 'ins_109508', name: 'First Platypus Bank' },
};

describe('refined records', () => {
  it('round-trips a refined transaction through JSON and the zod schema', () => {
    const { payload: built } = refinedTransactionRecord({ ...ctx, changeType: 'added', version: 1, transaction: fakePlaidTransaction(7, { amount: 12.34 }) });
    const payload = { ...built, sequence: 1 };
    const back = refinedTransaction.parse(JSON.parse(JSON.stringify(payload)));
    expect(back).toEqual(payload);
    expect(back).toMatchObject({
      schemaVersion: 1, entity: 'transaction', changeType: 'added', version: 1, transactionId: 'txn_00000007', accountId: 'acc_1',
      amount: { minor: 1234, currency: 'USD', exponent: 2, direction: 'debit' },
      institution: { id: 'ins_109508', name: 'First Platypus Bank' }, pending: false, pendingTransactionId: null,
    });
  });

  it('round-trips a refined account with balances in signed minor units', () => {
    const account = fakePlaidAccount(2, { balances: { available: -12.5, current: 1000000.1, limit: null, iso_currency_code: 'USD', unofficial_currency_code: null } });
    const { payload: built } = refinedAccountRecord({ ...ctx, changeType: 'modified', version: 1, account });
    const payload = { ...built, sequence: 1 };
    expect(refinedAccount.parse(JSON.parse(JSON.stringify(payload)))).toEqual(payload);
    expect(payload).toMatchObject({ type: 'credit', subtype: 'credit card', mask: '1002', balances: { currency: 'USD', exponent: 2, available: -1250, current: 100000010, limit: null } });
  });

  it('rejects a record that breaks the schema (float amount, unknown change type)', () => {
    const payload = { ...refinedTransactionRecord({ ...ctx, changeType: 'added', version: 1, transaction: fakePlaidTransaction(1) }).payload, sequence: 1 };
    expect(refinedTransaction.safeParse({ ...payload }).success).toBe(true);
    expect(refinedTransaction.safeParse({ ...payload, amount: { ...payload.changeType === 'removed' ? {} : payload.amount, minor: 12.5 } }).success).toBe(false);
    expect(refinedTransaction.safeParse({ ...payload, changeType: 'deleted' }).success).toBe(false);
  });

  it('gives the same record id for the same change and a new one when content, change or source version differs', () => {
    const t = fakePlaidTransaction(3);
    const id = (changeType: 'added' | 'modified', transaction = t, sourceVersion?: string) =>
      refinedTransactionRecord({ ...ctx, receivedAt: new Date(), sourceVersion, changeType, transaction, version: 1 }).recordId;
    expect(id('added')).toBe(id('added'));
    expect(id('added')).toMatch(/^[0-9a-f]{64}$/);
    expect(id('modified')).not.toBe(id('added'));
    expect(id('added', { ...t, amount: 99 })).not.toBe(id('added'));
    expect(id('added', t, 'cursor-2')).not.toBe(id('added', t, 'cursor-1'));
    // A later version of the same content (it flipped back) is a new record.
    expect(refinedTransactionRecord({ ...ctx, changeType: 'modified', transaction: t, version: 3 }).recordId).not.toBe(id('modified'));
    expect(rawTransactionRecord({ ...ctx, changeType: 'added', version: 1, transaction: t }).recordId).not.toBe(id('added'));
    // Key order is not content: the same object read back from jsonb (keys reordered) keeps its id.
    const reordered = Object.fromEntries(Object.entries(t).reverse().map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v]));
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(t)[0]);
    expect(id('added', reordered as typeof t)).toBe(id('added'));
    expect(id('added', { ...t, location: { ...t.location, city: 'Oakland' } })).not.toBe(id('added'));
  });

  it('links a removed pending transaction to the posted one that replaced it in the same page', () => {
    const pending = fakePlaidTransaction(11, { pending: true });
    const posted = fakePlaidTransaction(12, { pending: false, pending_transaction_id: pending.transaction_id });
    const records = transactionPageRecords(ctx, { added: [posted], modified: [], removed: [{ transaction_id: pending.transaction_id, account_id: pending.account_id }] });
    expect(records.map((r) => [r.stream, (r.payload as { changeType: string }).changeType])).toEqual([
      ['raw-transactions', 'added'], ['refined-transactions', 'added'], ['raw-transactions', 'removed'], ['refined-transactions', 'removed'],
    ]);
    expect(records[1]!.payload).toMatchObject({ transactionId: posted.transaction_id, pending: false, pendingTransactionId: pending.transaction_id });
    expect(records[3]!.payload).toMatchObject({ changeType: 'removed', transactionId: pending.transaction_id, postedTransactionId: posted.transaction_id, accountId: 'acc_2' });
  });

  it('keeps the Plaid object as received in the raw record envelope', () => {
    const t = fakePlaidTransaction(5);
    const { payload } = rawTransactionRecord({ ...ctx, changeType: 'modified', version: 1, transaction: t });
    expect(rawRecord.parse({ ...payload, sequence: 4 })).toEqual({ schemaVersion: 1, recordId: payload.recordId, entity: 'transaction', changeType: 'modified', userId: 'user_1', itemId: ctx.itemId, receivedAt: '2024-03-05T10:00:00.000Z', version: 1, sequence: 4, plaid: t });
  });
});

describe('secrets never reach a stream record', () => {
  const accessToken = 'access-sandbox-4c9f1e2a-1111-2222-3333-444455556666';
  const accountNumber = '1111222233330000';
  const routingNumber = '011401533';

  it('drops access tokens and full account/routing numbers from raw and refined records', () => {
    const account = fakePlaidAccount(1, {
      access_token: accessToken,
      numbers: { ach: [{ account: accountNumber, routing: routingNumber, wire_routing: '021000021', account_id: 'acc_1' }] },
      account_number: accountNumber,
      metadata: { note: accessToken },
    });
    const transaction = fakePlaidTransaction(1, { access_token: accessToken, payment_meta: { reference_number: 'REF-1', account: accountNumber } });
    const records = [
      ...accountChangeRecords(ctx, [{ changeType: 'added', account, version: 1 }, { changeType: 'removed', account: { account_id: 'acc_9', access_token: accessToken } as never, version: 2 }]),
      rawTransactionRecord({ ...ctx, changeType: 'added', version: 1, transaction }),
      refinedTransactionRecord({ ...ctx, changeType: 'added', version: 1, transaction }),
      rawAccountRecord({ ...ctx, changeType: 'modified', version: 1, account }),
    ];
    const text = JSON.stringify(records);
    expect(text).not.toContain(accessToken);
    expect(text).not.toContain(routingNumber);
    expect(text).not.toContain('021000021');
    expect(text).not.toContain(accountNumber);
    expect(text).not.toMatch(/"(access_token|numbers|account|account_number|routing|wire_routing)":/);
    expect(text).toContain('"reference_number":"REF-1"'); // the rest of the object is kept
    expect(JSON.stringify(records.filter((r) => r.stream === 'raw-accounts'))).toContain('"mask":"1001"');
  });
});

describe('sequencedJson', () => {
  it('is the payload with its sequence, from the text the builder made (Plaid object canonical, secrets out) or from the payload', () => {
    const transaction = { ...fakePlaidTransaction(3), account_owner: 'access-sandbox-secret', numbers: { ach: [] } };
    const sourced = { ...ctx, sourceVersion: 'cursor-9' };
    const records = [
      rawTransactionRecord({ ...sourced, changeType: 'added', version: 2, transaction }),
      refinedTransactionRecord({ ...sourced, changeType: 'added', version: 2, transaction }),
      ...accountChangeRecords(ctx, [{ changeType: 'added', account: fakePlaidAccount(1), version: 1 }]),
    ];
    expect(records[0]!.text).toContain('"plaid":{"account_id":');
    for (const record of records) {
      const sent = sequencedJson(record, 41);
      expect(JSON.parse(sent)).toEqual({ ...JSON.parse(JSON.stringify(record.payload)), sequence: 41 });
      expect(sent).not.toContain('secret');
      expect(sequencedJson({ ...record, text: undefined }, 41)).toBe(JSON.stringify({ ...(record.payload as object), sequence: 41 }));
    }
  });

  it('gives the raw and the refined record of a change ids that differ by stream but follow the same content', () => {
    const t = fakePlaidTransaction(5);
    const ids = (sourceVersion?: string) => [rawTransactionRecord, refinedTransactionRecord].map((build) => build({ ...ctx, sourceVersion, changeType: 'added', version: 1, transaction: t }).recordId);
    const [raw, refined] = ids('c1');
    expect(raw).not.toBe(refined);
    expect(ids('c1')).toEqual([raw, refined]);
    expect(ids('c2')[0]).not.toBe(raw);
    expect(ids('c2')[1]).not.toBe(refined);
    expect(ids('c1')).toEqual([raw, refined]);
  });
});

