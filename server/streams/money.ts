/**
 * Decimal amounts to integer minor units without floating-point arithmetic: the decimal string is
 * split into digits and scaled with BigInt. Plaid sends JSON numbers, which the SDK hands over as
 * JS numbers; String(n) gives the shortest decimal that round-trips, so "12.34" stays 12.34.
 */

/** ISO 4217 minor-unit exponents, from ICU (USD 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  // Building an Intl.NumberFormat costs ~25 µs: once per currency, not once per record.
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    try {
      exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exponent = UNOFFICIAL_EXPONENT;
    }
    exponents.set(currency, exponent);
  }
  return exponent;
}
const exponents = new Map<string, number>();

/** Plaid's unofficial currencies are mostly crypto; 8 places keeps satoshi precision. */
export const UNOFFICIAL_EXPONENT = 8;

const decimal = /^([+-])?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Signed integer minor units of `amount` at `exponent` decimal places. Digits beyond the exponent
 * are rounded half-to-even (Plaid amounts for ISO currencies never have them; numeric(19,4)
 * columns give trailing zeros, which are exact). Throws on anything that is not a finite decimal or
 * whose result is not a safe integer.
 */
export function toMinorUnits(amount: string | number, exponent: number): number {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const m = decimal.exec(text);
  if (!m) throw new RangeError(`not a decimal amount: ${JSON.stringify(text)}`);
  const [, sign, whole = '0', fraction = '', exp] = m;
  // value = digits * 10^(shift); we want value * 10^exponent.
  const digits = BigInt(whole + fraction);
  const shift = exponent - fraction.length + (exp ? Number(exp) : 0);
  let minor: bigint;
  if (shift >= 0) {
    minor = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    minor = digits / divisor;
    const twice = (digits % divisor) * 2n;
    if (twice > divisor || (twice === divisor && minor % 2n === 1n)) minor += 1n;
  }
  if (sign === '-') minor = -minor;
  const result = Number(minor);
  if (!Number.isSafeInteger(result)) throw new RangeError(`amount out of range: ${text}`);
  return result === 0 ? 0 : result; // no -0
}

export interface Money {
  /** Non-negative integer in the currency's minor units (cents for USD). */
  minor: number;
  currency: string;
  /** Decimal places of the minor unit: value = minor / 10^exponent. */
  exponent: number;
  /** Plaid's sign convention: a positive amount is money leaving the account (debit). */
  direction: 'debit' | 'credit';
}

/** A Plaid transaction amount as unsigned minor units plus direction. */
export function plaidAmountToMoney(amount: string | number, currency: string, official: boolean): Money {
  const exponent = official ? currencyExponent(currency) : UNOFFICIAL_EXPONENT;
  const signed = toMinorUnits(amount, exponent);
  return { minor: Math.abs(signed), currency, exponent, direction: signed < 0 ? 'credit' : 'debit' };
}
