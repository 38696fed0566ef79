import { CounterpartyType, TransactionCode, TransactionPaymentChannelEnum, TransactionTransactionTypeEnum, type Transaction } from 'plaid';
import type { Rng } from '../rng';
import { addDays, dayOfMonth } from './dates';
import { CARD_PAYMENT_DAY, CARD_PAYMENT_IN, CARD_PAYMENT_OUT, PURCHASES, RECURRING, type Merchant } from './merchants';

/**
 * Seeded transaction history for one item: recurring income, rent, bills, savings transfers,
 * card payments (both sides) and weighted random purchases, oldest first. The last `pendingDays`
 * days are pending, everything older is posted.
 */
export interface TxAccounts { checking: string; savings: string; credit: string }

export interface GenerateOptions {
  accounts: TxAccounts;
  /** First and last day (inclusive) of the history, `YYYY-MM-DD`. */
  start: string;
  end: string;
  /** Average random purchases per day (recurring flows come on top). */
  purchasesPerDay: number;
  /** Days before `end` whose transactions are still pending. */
  pendingDays?: number;
}

const CHANNEL: Record<Merchant['channel'], TransactionPaymentChannelEnum> = {
  online: TransactionPaymentChannelEnum.Online,
  'in store': TransactionPaymentChannelEnum.InStore,
  other: TransactionPaymentChannelEnum.Other,
};

const round2 = (n: number) => Math.round(n * 100) / 100;

export function makeTransaction(rng: Rng, m: Merchant, accountId: string, date: string, amount: number, pending: boolean): Transaction {
  const place = m.places ? rng.pick(m.places) : undefined;
  const online = m.channel === 'online';
  const name = m.descriptor.endsWith('#') ? `${m.descriptor}${place?.store_number ?? rng.digits(4)}` : m.descriptor;
  const hour = String(rng.int(7, 22)).padStart(2, '0');
  const minute = String(rng.int(0, 59)).padStart(2, '0');
  const authorized = m.channel === 'other' ? date : addDays(date, -rng.int(0, 1));
  return {
    transaction_id: rng.alnum(37),
    account_id: accountId,
    amount: round2(amount),
    iso_currency_code: 'USD',
    unofficial_currency_code: null,
    date,
    authorized_date: authorized,
    authorized_datetime: online ? `${authorized}T${hour}:${minute}:00Z` : null,
    datetime: online ? `${date}T${hour}:${minute}:00Z` : null,
    name,
    merchant_name: m.merchant,
    original_description: null,
    pending,
    pending_transaction_id: null,
    account_owner: null,
    personal_finance_category: { primary: m.pfc[0], detailed: m.pfc[1], confidence_level: m.merchant ? 'VERY_HIGH' : 'HIGH' },
    personal_finance_category_icon_url: `https://plaid-category-icons.plaid.com/PFC_${m.pfc[0]}.png`,
    payment_channel: CHANNEL[m.channel],
    location: {
      address: place?.address ?? null,
      city: place?.city ?? null,
      region: place?.region ?? null,
      postal_code: place?.postal_code ?? null,
      country: place ? 'US' : null,
      lat: place?.lat ?? null,
      lon: place?.lon ?? null,
      store_number: place?.store_number ?? null,
    },
    payment_meta: { reference_number: null, ppd_id: null, payee: null, by_order_of: null, payer: null, payment_method: null, payment_processor: null, reason: null },
    logo_url: m.website ? `https://plaid-merchant-logos.plaid.com/${m.website.replace(/\W/g, '_')}.png` : null,
    website: m.website,
    counterparties: m.merchant
      ? [{ name: m.merchant, type: CounterpartyType.Merchant, website: m.website, logo_url: m.website ? `https://plaid-merchant-logos.plaid.com/${m.website.replace(/\W/g, '_')}.png` : null, confidence_level: 'VERY_HIGH', entity_id: null }]
      : [],
    merchant_entity_id: null,
    transaction_type: online ? TransactionTransactionTypeEnum.Digital : place ? TransactionTransactionTypeEnum.Place : TransactionTransactionTypeEnum.Special,
    transaction_code: m.code,
    check_number: null,
    category: null,
    category_id: null,
  };
}

/** A draw from the weighted purchase list. */
export function pickPurchase(rng: Rng): Merchant {
  const total = PURCHASES.reduce((s, m) => s + m.weight, 0);
  let r = rng.next() * total;
  for (const m of PURCHASES) {
    r -= m.weight;
    if (r < 0) return m;
  }
  return PURCHASES[0] as Merchant;
}

export function randomPurchase(rng: Rng, accounts: TxAccounts, date: string, pending: boolean): Transaction {
  const m = pickPurchase(rng);
  const account = m.code === TransactionCode.Atm || rng.chance(0.25) ? accounts.checking : accounts.credit;
  return makeTransaction(rng, m, account, date, rng.float(m.min, m.max), pending);
}

export function generateTransactions(rng: Rng, o: GenerateOptions): Transaction[] {
  const out: Transaction[] = [];
  const pendingFrom = addDays(o.end, -(o.pendingDays ?? 2) + 1);
  let cardSpend = 0;
  for (let day = o.start; day <= o.end; day = addDays(day, 1)) {
    const dom = dayOfMonth(day);
    const pending = day >= pendingFrom;
    for (const r of RECURRING) {
      if (r.day !== dom) continue;
      const account = o.accounts[r.account];
      const amount = rng.float(r.min, r.max);
      out.push(makeTransaction(rng, r, account, day, amount, pending && r.pfc[0] !== 'INCOME'));
      if (r.account === 'credit') cardSpend += amount;
    }
    if (dom === CARD_PAYMENT_DAY && cardSpend > 0) {
      const paid = round2(cardSpend);
      out.push(makeTransaction(rng, CARD_PAYMENT_OUT, o.accounts.checking, day, paid, false));
      out.push(makeTransaction(rng, CARD_PAYMENT_IN, o.accounts.credit, day, -paid, false));
      cardSpend = 0;
    }
    // Poisson-ish count: sum of Bernoulli draws with the right mean.
    const slots = Math.ceil(o.purchasesPerDay * 2);
    for (let i = 0; i < slots; i++) {
      if (!rng.chance(o.purchasesPerDay / slots)) continue;
      const tx = randomPurchase(rng, o.accounts, day, pending);
      if (tx.account_id === o.accounts.credit) cardSpend += tx.amount;
      out.push(tx);
    }
  }
  return out;
}
