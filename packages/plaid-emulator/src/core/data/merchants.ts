import { TransactionCode } from 'plaid';

/** Merchants and recurring flows the generator draws from; amounts are Plaid-signed (+ = money out). */
export interface Place { address: string; city: string; region: string; postal_code: string; lat: number; lon: number; store_number: string | null }

export interface Merchant {
  descriptor: string;
  merchant: string | null;
  website: string | null;
  pfc: [primary: string, detailed: string];
  channel: 'online' | 'in store' | 'other';
  min: number;
  max: number;
  weight: number;
  code: TransactionCode | null;
  places?: Place[];
}

const SF: Place = { address: '300 Post St', city: 'San Francisco', region: 'CA', postal_code: '94108', lat: 37.7883, lon: -122.4074, store_number: '1183' };
const NYC: Place = { address: '1 Union Sq W', city: 'New York', region: 'NY', postal_code: '10003', lat: 40.7359, lon: -73.9911, store_number: '482' };
const AUS: Place = { address: '525 N Lamar Blvd', city: 'Austin', region: 'TX', postal_code: '78703', lat: 30.2701, lon: -97.7531, store_number: '10145' };
const CHI: Place = { address: '1 E Jackson Blvd', city: 'Chicago', region: 'IL', postal_code: '60604', lat: 41.8781, lon: -87.6278, store_number: '77' };
const PLACES = [SF, NYC, AUS, CHI];

const P = TransactionCode.Purchase;

/** Card and debit purchases: picked at random by weight. */
export const PURCHASES: readonly Merchant[] = [
  { descriptor: 'STARBUCKS STORE #', merchant: 'Starbucks', website: 'starbucks.com', pfc: ['FOOD_AND_DRINK', 'FOOD_AND_DRINK_COFFEE'], channel: 'in store', min: 3.5, max: 9.75, weight: 14, code: P, places: PLACES },
  { descriptor: 'WHOLEFDS MKT', merchant: 'Whole Foods Market', website: 'wholefoodsmarket.com', pfc: ['FOOD_AND_DRINK', 'FOOD_AND_DRINK_GROCERIES'], channel: 'in store', min: 18, max: 165, weight: 9, code: P, places: PLACES },
  { descriptor: 'TRADER JOE S #', merchant: "Trader Joe's", website: 'traderjoes.com', pfc: ['FOOD_AND_DRINK', 'FOOD_AND_DRINK_GROCERIES'], channel: 'in store', min: 22, max: 120, weight: 8, code: P, places: PLACES },
  { descriptor: 'UBER *TRIP', merchant: 'Uber', website: 'uber.com', pfc: ['TRANSPORTATION', 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES'], channel: 'online', min: 8, max: 46, weight: 7, code: P },
  { descriptor: 'LYFT *RIDE', merchant: 'Lyft', website: 'lyft.com', pfc: ['TRANSPORTATION', 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES'], channel: 'online', min: 7, max: 39, weight: 4, code: P },
  { descriptor: 'SHELL OIL', merchant: 'Shell', website: 'shell.com', pfc: ['TRANSPORTATION', 'TRANSPORTATION_GAS'], channel: 'in store', min: 25, max: 72, weight: 5, code: P, places: PLACES },
  { descriptor: 'AMAZON.COM*', merchant: 'Amazon', website: 'amazon.com', pfc: ['GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES'], channel: 'online', min: 6, max: 240, weight: 10, code: P },
  { descriptor: 'TARGET', merchant: 'Target', website: 'target.com', pfc: ['GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_SUPERSTORES'], channel: 'in store', min: 12, max: 180, weight: 5, code: P, places: PLACES },
  { descriptor: 'CHIPOTLE ', merchant: 'Chipotle Mexican Grill', website: 'chipotle.com', pfc: ['FOOD_AND_DRINK', 'FOOD_AND_DRINK_FAST_FOOD'], channel: 'in store', min: 9, max: 28, weight: 6, code: P, places: PLACES },
  { descriptor: 'DOORDASH*', merchant: 'DoorDash', website: 'doordash.com', pfc: ['FOOD_AND_DRINK', 'FOOD_AND_DRINK_RESTAURANT'], channel: 'online', min: 18, max: 64, weight: 5, code: P },
  { descriptor: 'SQ *BLUE BOTTLE', merchant: 'Blue Bottle Coffee', website: 'bluebottlecoffee.com', pfc: ['FOOD_AND_DRINK', 'FOOD_AND_DRINK_COFFEE'], channel: 'in store', min: 4.5, max: 12, weight: 3, code: P, places: [SF, NYC] },
  { descriptor: 'CVS/PHARMACY #', merchant: 'CVS Pharmacy', website: 'cvs.com', pfc: ['MEDICAL', 'MEDICAL_PHARMACIES_AND_SUPPLEMENTS'], channel: 'in store', min: 6, max: 58, weight: 3, code: P, places: PLACES },
  { descriptor: 'UNITED AIRLINES', merchant: 'United Airlines', website: 'united.com', pfc: ['TRAVEL', 'TRAVEL_FLIGHTS'], channel: 'online', min: 120, max: 640, weight: 1, code: P },
  { descriptor: 'AIRBNB * HM', merchant: 'Airbnb', website: 'airbnb.com', pfc: ['TRAVEL', 'TRAVEL_LODGING'], channel: 'online', min: 140, max: 820, weight: 1, code: P },
  { descriptor: 'APPLE.COM/BILL', merchant: 'Apple', website: 'apple.com', pfc: ['GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_ELECTRONICS'], channel: 'online', min: 0.99, max: 14.99, weight: 3, code: P },
  { descriptor: 'AMC THEATRES', merchant: 'AMC Theatres', website: 'amctheatres.com', pfc: ['ENTERTAINMENT', 'ENTERTAINMENT_TV_AND_MOVIES'], channel: 'in store', min: 14, max: 42, weight: 1, code: P, places: PLACES },
  { descriptor: 'ATM WITHDRAWAL', merchant: null, website: null, pfc: ['TRANSFER_OUT', 'TRANSFER_OUT_WITHDRAWAL'], channel: 'in store', min: 20, max: 200, weight: 1, code: TransactionCode.Atm, places: PLACES },
];

export interface Recurring extends Merchant {
  /** Day of month it recurs on (1-28). */
  day: number;
  account: 'checking' | 'savings' | 'credit';
}

/** Monthly flows; payroll is twice a month, income is negative (money in). */
export const RECURRING: readonly Recurring[] = [
  { day: 1, account: 'checking', descriptor: 'GUSTO PAY 123456 ACME CORP', merchant: 'Gusto', website: 'gusto.com', pfc: ['INCOME', 'INCOME_WAGES'], channel: 'other', min: -2650, max: -2450, weight: 0, code: TransactionCode.Transfer },
  { day: 15, account: 'checking', descriptor: 'GUSTO PAY 123456 ACME CORP', merchant: 'Gusto', website: 'gusto.com', pfc: ['INCOME', 'INCOME_WAGES'], channel: 'other', min: -2650, max: -2450, weight: 0, code: TransactionCode.Transfer },
  { day: 1, account: 'checking', descriptor: 'ZELLE PAYMENT TO LANDLORD PROPERTIES', merchant: null, website: null, pfc: ['RENT_AND_UTILITIES', 'RENT_AND_UTILITIES_RENT'], channel: 'online', min: 1850, max: 1850, weight: 0, code: TransactionCode.BillPayment },
  { day: 6, account: 'checking', descriptor: 'PG&E WEB ONLINE', merchant: 'Pacific Gas and Electric', website: 'pge.com', pfc: ['RENT_AND_UTILITIES', 'RENT_AND_UTILITIES_GAS_AND_ELECTRICITY'], channel: 'online', min: 62, max: 148, weight: 0, code: TransactionCode.BillPayment },
  { day: 9, account: 'checking', descriptor: 'COMCAST CABLE COMM', merchant: 'Comcast', website: 'xfinity.com', pfc: ['RENT_AND_UTILITIES', 'RENT_AND_UTILITIES_INTERNET_AND_CABLE'], channel: 'online', min: 79.99, max: 79.99, weight: 0, code: TransactionCode.BillPayment },
  { day: 2, account: 'checking', descriptor: 'ONLINE TRANSFER TO PLAID SAVING XXXXXX1111', merchant: null, website: null, pfc: ['TRANSFER_OUT', 'TRANSFER_OUT_SAVINGS'], channel: 'other', min: 200, max: 200, weight: 0, code: TransactionCode.Transfer },
  { day: 2, account: 'savings', descriptor: 'ONLINE TRANSFER FROM PLAID CHECKING XXXXXX0000', merchant: null, website: null, pfc: ['TRANSFER_IN', 'TRANSFER_IN_SAVINGS'], channel: 'other', min: -200, max: -200, weight: 0, code: TransactionCode.Transfer },
  { day: 28, account: 'savings', descriptor: 'INTEREST PAYMENT', merchant: null, website: null, pfc: ['INCOME', 'INCOME_INTEREST_EARNED'], channel: 'other', min: -0.4, max: -0.05, weight: 0, code: TransactionCode.Interest },
  { day: 8, account: 'credit', descriptor: 'NETFLIX.COM', merchant: 'Netflix', website: 'netflix.com', pfc: ['ENTERTAINMENT', 'ENTERTAINMENT_TV_AND_MOVIES'], channel: 'online', min: 15.49, max: 15.49, weight: 0, code: TransactionCode.Purchase },
  { day: 12, account: 'credit', descriptor: 'SPOTIFY USA', merchant: 'Spotify', website: 'spotify.com', pfc: ['ENTERTAINMENT', 'ENTERTAINMENT_MUSIC_AND_AUDIO'], channel: 'online', min: 11.99, max: 11.99, weight: 0, code: TransactionCode.Purchase },
  { day: 3, account: 'credit', descriptor: 'EQUINOX FITNESS', merchant: 'Equinox', website: 'equinox.com', pfc: ['PERSONAL_CARE', 'PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS'], channel: 'in store', min: 45, max: 45, weight: 0, code: TransactionCode.Purchase, places: [NYC] },
];

/** The monthly card payment: out of checking, into the card (both sides appear). */
export const CARD_PAYMENT_DAY = 20;
export const CARD_PAYMENT_OUT: Merchant = { descriptor: 'PLAID CREDIT CARD AUTOPAY', merchant: null, website: null, pfc: ['LOAN_PAYMENTS', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT'], channel: 'other', min: 0, max: 0, weight: 0, code: TransactionCode.BillPayment };
export const CARD_PAYMENT_IN: Merchant = { descriptor: 'AUTOMATIC PAYMENT - THANK YOU', merchant: null, website: null, pfc: ['LOAN_PAYMENTS', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT'], channel: 'other', min: 0, max: 0, weight: 0, code: TransactionCode.Payment };
