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
      pending: false, categoryPrimary: primary, categoryDetailed: detailed, raw: {},
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
