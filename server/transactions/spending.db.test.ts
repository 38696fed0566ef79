import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaidItems, plaidTransactions } from '../../db/schema';
import { createHarness, type Harness } from '../../test/support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('transactions.spending', () => {
  it('sums money out by category and leaves out refunds and moves between own accounts', async () => {
    const user = await h.createUser();
    const [item] = await h.db.insert(plaidItems).values({ plaidItemId: `pi-${user.id}`, userId: user.id, accessTokenEnc: 'x' }).returning();
    const today = new Date().toISOString().slice(0, 10);
    const tx = (id: string, amount: string, primary: string, detailed: string) => ({
      id: `${user.id}-${id}`, itemId: item!.id, accountId: 'acc', amount, isoCurrencyCode: 'USD', date: today, name: id,
      pending: false, categoryPrimary: primary, categoryDetailed: detailed,
    });
    await h.db.insert(plaidTransactions).values([
      tx('groceries', '40.10', 'FOOD_AND_DRINK', 'FOOD_AND_DRINK_GROCERIES'),
      tx('coffee', '4.35', 'FOOD_AND_DRINK', 'FOOD_AND_DRINK_COFFEE'),
      tx('refund', '-20.00', 'FOOD_AND_DRINK', 'FOOD_AND_DRINK_GROCERIES'),
      tx('card-autopay', '3891.00', 'LOAN_PAYMENTS', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT'),
      tx('to-savings', '200.00', 'TRANSFER_OUT', 'TRANSFER_OUT_SAVINGS'),
      tx('mortgage', '1500.00', 'LOAN_PAYMENTS', 'LOAN_PAYMENTS_MORTGAGE_PAYMENT'),
    ]);
    const { categories } = await h.caller(user).transactions.spending({ days: 30 });
    expect(categories.map((c) => [c.category, c.total])).toEqual([
      ['LOAN_PAYMENTS', 1500],
      ['FOOD_AND_DRINK', 44.45],
    ]);
  });
});

describe('transactions.month', () => {
  it('totals money in and out since the first of the month, without moves between own accounts or removed banks', async () => {
    const user = await h.createUser();
    const [item, gone] = await h.db.insert(plaidItems).values([
      { plaidItemId: `pm-${user.id}`, userId: user.id, accessTokenEnc: 'x' },
      { plaidItemId: `pm-gone-${user.id}`, userId: user.id, accessTokenEnc: 'x', status: 'REMOVED' },
    ]).returning();
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString().slice(0, 10);
    const tx = (id: string, amount: string, detailed: string, date = today, itemId = item!.id) => ({
      id: `${user.id}-m-${id}`, itemId, accountId: 'acc', amount, isoCurrencyCode: 'USD', date, name: id,
      pending: false, categoryPrimary: detailed.split('_')[0], categoryDetailed: detailed,
    });
    await h.db.insert(plaidTransactions).values([
      tx('salary', '-2500.00', 'INCOME_WAGES'),
      tx('groceries', '60.00', 'FOOD_AND_DRINK_GROCERIES'),
      tx('card-payment-out', '300.00', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT'),
      tx('card-payment-in', '-300.00', 'TRANSFER_IN_ACCOUNT_TRANSFER'),
      tx('from-savings', '-100.00', 'TRANSFER_IN_SAVINGS'),
      tx('old-rent', '1200.00', 'RENT_AND_UTILITIES_RENT', lastMonth),
      tx('removed-bank', '99.00', 'GENERAL_MERCHANDISE_OTHER', today, gone!.id),
    ]);
    const { since, totals } = await h.caller(user).transactions.month();
    expect(since).toBe(`${today.slice(0, 7)}-01`);
    expect(totals).toEqual([{ currency: 'USD', moneyIn: 2500, moneyOut: 60 }]);
  });
});
