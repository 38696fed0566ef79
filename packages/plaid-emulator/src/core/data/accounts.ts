import { AccountHolderCategory, AccountSubtype, AccountType, EmailTypeEnum, PhoneNumberTypeEnum, type AccountBase, type Owner } from 'plaid';
import type { Rng } from '../rng';

/** One emulated account: what /accounts/get shows plus the numbers and owners other calls reveal. */
export interface AccountRecord {
  account: AccountBase;
  numbers: { account: string; routing: string; wireRouting: string } | null;
  owners: Owner[];
}

interface Template {
  name: string;
  officialName: string | null;
  mask: string;
  type: AccountType;
  subtype: AccountSubtype;
  available: number | null;
  current: number;
  limit: number | null;
}

/** Plaid's sandbox accounts (PLAID.md); checking, savings and credit card come first. */
export const SANDBOX_ACCOUNTS: readonly Template[] = [
  { name: 'Plaid Checking', officialName: 'Plaid Gold Standard 0% Interest Checking', mask: '0000', type: AccountType.Depository, subtype: AccountSubtype.Checking, available: 100, current: 110, limit: null },
  { name: 'Plaid Saving', officialName: 'Plaid Silver Standard 0.1% Interest Saving', mask: '1111', type: AccountType.Depository, subtype: AccountSubtype.Savings, available: 200, current: 210, limit: null },
  { name: 'Plaid Credit Card', officialName: 'Plaid Diamond 12.5% APR Interest Credit Card', mask: '3333', type: AccountType.Credit, subtype: AccountSubtype.CreditCard, available: null, current: 410, limit: 2000 },
  { name: 'Plaid Money Market', officialName: 'Plaid Platinum Standard 1.85% Interest Money Market', mask: '4444', type: AccountType.Depository, subtype: AccountSubtype.MoneyMarket, available: 43200, current: 43200, limit: null },
  { name: 'Plaid IRA', officialName: null, mask: '5555', type: AccountType.Investment, subtype: AccountSubtype.Ira, available: null, current: 320.76, limit: null },
  { name: 'Plaid 401k', officialName: null, mask: '6666', type: AccountType.Investment, subtype: AccountSubtype._401k, available: null, current: 23631.9805, limit: null },
  { name: 'Plaid Student Loan', officialName: null, mask: '7777', type: AccountType.Loan, subtype: AccountSubtype.Student, available: null, current: 65262, limit: null },
  { name: 'Plaid Mortgage', officialName: null, mask: '8888', type: AccountType.Loan, subtype: AccountSubtype.Mortgage, available: null, current: 56302.06, limit: null },
];

export const SANDBOX_OWNER: Owner = {
  names: ['Alberta Bobbeth Charleson'],
  phone_numbers: [
    { data: '2025550123', primary: false, type: PhoneNumberTypeEnum.Home },
    { data: '1112224444', primary: false, type: PhoneNumberTypeEnum.Work },
    { data: '1112225555', primary: false, type: PhoneNumberTypeEnum.Mobile },
  ],
  emails: [
    { data: 'accountholder0@example.com', primary: true, type: EmailTypeEnum.Primary },
    { data: 'extraordinarily.long.email.username.123456@reallylonghostname.com', primary: false, type: EmailTypeEnum.Other },
  ],
  addresses: [
    { data: { city: 'Malakoff', country: 'US', postal_code: '14236', region: 'NY', street: '2992 Cameron Road' }, primary: true },
    { data: { city: 'San Matias', country: 'US', postal_code: '93405-2255', region: 'CA', street: '2493 Leisure Lane' }, primary: false },
  ],
};

/** Accounts that appear at the bank after linking (NEW_ACCOUNTS_AVAILABLE), in order. */
export const LATER_ACCOUNTS: readonly Template[] = [
  { name: 'Plaid Cash Management', officialName: 'Plaid Growth Cash Management', mask: '9002', type: AccountType.Depository, subtype: AccountSubtype.CashManagement, available: 12060, current: 12060, limit: null },
  { name: 'Plaid Business Credit Card', officialName: null, mask: '9991', type: AccountType.Credit, subtype: AccountSubtype.CreditCard, available: null, current: 5020, limit: 10000 },
  { name: 'Plaid HSA', officialName: 'Plaid Cares Health Savings Account', mask: '9001', type: AccountType.Depository, subtype: AccountSubtype.Hsa, available: 6009, current: 6009, limit: null },
];

/** One account from a template; depository accounts get ACH numbers unless the bank offers no Auth. */
export function generateAccount(rng: Rng, t: Template, routingNumber: string, isoNow: string, withNumbers = true): AccountRecord {
  const depository = t.type === AccountType.Depository;
  return {
    account: {
      account_id: rng.alnum(37),
      balances: {
        available: t.available,
        current: t.current,
        limit: t.limit,
        iso_currency_code: 'USD',
        unofficial_currency_code: null,
        last_updated_datetime: isoNow,
      },
      mask: t.mask,
      name: t.name,
      official_name: t.officialName ?? null,
      type: t.type,
      subtype: t.subtype,
      holder_category: AccountHolderCategory.Personal,
    },
    numbers: depository && withNumbers ? { account: `1111222233${t.mask}`, routing: routingNumber, wireRouting: routingNumber } : null,
    owners: [SANDBOX_OWNER],
  };
}

export function generateAccounts(rng: Rng, routingNumber: string, isoNow: string, withNumbers = true): AccountRecord[] {
  return SANDBOX_ACCOUNTS.map((t) => generateAccount(rng, t, routingNumber, isoNow, withNumbers));
}
