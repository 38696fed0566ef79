/** Formatting for people, the same on server and client (fixed locale and time zone: no hydration drift). */
const LOCALE = 'en-US';
const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, signed: boolean) {
  const key = `${currency}|${signed}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, signDisplay: signed ? 'exceptZero' : 'auto' });
    } catch {
      f = new Intl.NumberFormat(LOCALE, { style: 'decimal', minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: signed ? 'exceptZero' : 'auto' });
    }
    formatters.set(key, f);
  }
  return f;
}

/** A balance or total: "$1,234.50"; null shows as an em dash. */
export function money(amount: string | number | null | undefined, currency: string | null | undefined = 'USD'): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  return currencyFormat(currency ?? 'USD', false).format(Number(amount));
}

/**
 * A transaction amount with its sign as a person reads it. Plaid's sign is positive = money out,
 * so money out shows as "−$12.50" and money in as "+$1,000.00".
 */
export function signedAmount(plaidAmount: string | number, currency: string | null | undefined = 'USD') {
  const value = -Number(plaidAmount);
  return { text: currencyFormat(currency ?? 'USD', true).format(value).replace('-', '−'), direction: value > 0 ? ('in' as const) : ('out' as const) };
}

const dateFmt = new Intl.DateTimeFormat(LOCALE, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateTimeFmt = new Intl.DateTimeFormat(LOCALE, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });

/** "2025-01-05" or a Date → "Jan 5, 2025". */
export function day(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const d = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value;
  return Number.isNaN(d.getTime()) ? '—' : dateFmt.format(d);
}

export function dateTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? '—' : dateTimeFmt.format(d);
}

/** "FOOD_AND_DRINK" → "Food and drink". */
export function humanize(code: string | null | undefined): string {
  if (!code) return 'Other';
  const s = code.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
