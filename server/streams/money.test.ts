import { describe, expect, it } from 'vitest';
import { currencyExponent, plaidAmountToMoney, toMinorUnits } from './money';

describe('minor units', () => {
  it.each([
    ['12.34', 1234],
    ['-0.01', -1],
    ['1000000.1', 100000010],
    ['12.3400', 1234], // numeric(19,4) as read back from Postgres
    ['0', 0],
    ['-0', 0],
  ])('converts %s to %s cents exactly', (text, cents) => {
    expect(toMinorUnits(text, 2)).toBe(cents);
  });

  it.each(['.5', 'abc', '1,000.00', '', 'NaN', 'Infinity'])('rejects %j as not a decimal amount', (text) => {
    expect(() => toMinorUnits(text, 2)).toThrow(RangeError);
  });

  it('converts JS numbers through their shortest decimal, never by multiplying floats', () => {
    expect(1.005 * 100).not.toBe(100.5); // why float math is wrong
    expect(toMinorUnits(1.005, 3)).toBe(1005);
    expect(toMinorUnits(0.1 + 0.2, 2)).toBe(30); // 0.30000000000000004 rounds to 30
  });

  it('rounds digits beyond the exponent half to even', () => {
    expect(toMinorUnits('0.125', 2)).toBe(12);
    expect(toMinorUnits('0.135', 2)).toBe(14);
    expect(toMinorUnits('-0.125', 2)).toBe(-12);
    expect(toMinorUnits('0.1251', 2)).toBe(13);
  });

  it('rejects values outside the safe integer range instead of losing precision', () => {
    expect(() => toMinorUnits('92233720368547758.07', 2)).toThrow(/out of range/);
  });

  it('uses ISO 4217 exponents', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(plaidAmountToMoney(1500, 'JPY', true)).toEqual({ minor: 1500, currency: 'JPY', exponent: 0, direction: 'debit' });
  });

  it('maps Plaid sign to direction: positive is money out (debit), negative money in (credit)', () => {
    expect(plaidAmountToMoney(12.34, 'USD', true)).toEqual({ minor: 1234, currency: 'USD', exponent: 2, direction: 'debit' });
    expect(plaidAmountToMoney(-0.01, 'USD', true)).toEqual({ minor: 1, currency: 'USD', exponent: 2, direction: 'credit' });
    expect(plaidAmountToMoney('0.00012345', 'BTC', false)).toEqual({ minor: 12345, currency: 'BTC', exponent: 8, direction: 'debit' });
  });
});
