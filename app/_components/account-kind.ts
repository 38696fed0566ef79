/** What kind of account it is, in words a person uses, and whether it holds money or is owed. */
const SUBTYPE_LABELS: Record<string, string> = {
  ira: 'IRA', 'roth ira': 'Roth IRA', roth: 'Roth IRA', '401k': '401(k)', '403b': '403(b)', '457b': '457(b)', '529': '529 plan',
  hsa: 'HSA', cd: 'CD', 'money market': 'Money market', checking: 'Checking', savings: 'Savings', prepaid: 'Prepaid',
  'cash management': 'Cash management', paypal: 'PayPal', 'credit card': 'Credit card', student: 'Student loan',
  mortgage: 'Mortgage', auto: 'Auto loan', 'home equity': 'Home equity loan', 'line of credit': 'Line of credit',
  commercial: 'Business loan', construction: 'Construction loan', consumer: 'Personal loan', loan: 'Loan',
  brokerage: 'Brokerage', pension: 'Pension', 'mutual fund': 'Mutual fund', 'non-taxable brokerage account': 'Brokerage (tax-free)',
  sep: 'SEP IRA', 'simple ira': 'SIMPLE IRA', 'crypto exchange': 'Crypto', 'education savings account': 'Education savings',
};
const TYPE_LABELS: Record<string, string> = { depository: 'Bank account', credit: 'Credit card', loan: 'Loan', investment: 'Investment', brokerage: 'Investment', other: 'Other' };

export function accountKindLabel(type: string, subtype: string | null | undefined): string {
  const sub = subtype?.toLowerCase();
  if (sub && SUBTYPE_LABELS[sub]) return SUBTYPE_LABELS[sub];
  if (sub) return sub.charAt(0).toUpperCase() + sub.slice(1);
  return TYPE_LABELS[type] ?? 'Account';
}

/** Credit cards and loans: their balance is money owed, not money held. */
export const isDebt = (type: string) => type === 'credit' || type === 'loan';

/** Only a bank account (checking, savings…) can be the main account money moves through. */
export const isDepository = (type: string) => type === 'depository';
