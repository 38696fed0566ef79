import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, lte, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { accountBalanceSnapshots, plaidAccounts, plaidItems, plaidTransactions } from '../../db/schema';

const DAY_MS = 86_400_000;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`);
/** Credit cards and loans: their balance is money owed. */
const isDebt = (type: string) => type === 'credit' || type === 'loan';

export interface BalancePoint { day: string; netWorth: number; estimated: boolean }

/**
 * Net worth (what the accounts hold minus what is owed) at the end of each of the last `days` days
 * (UTC), in the currency most of the user's accounts use, over the accounts of banks that are still
 * linked. A day's balance is the latest stored one on or before it (account_balance_snapshots). Days
 * before an account's first stored balance are worked out backwards from it with the account's
 * stored posted transactions, and marked estimated.
 */
export async function balanceHistory(db: Db, input: { userId: string; days: number; now?: Date }) {
  const today = dayNumber(dayOf((input.now ?? new Date()).getTime()));
  const start = dayOf(today - (input.days - 1) * DAY_MS);
  const end = dayOf(today);
  const accounts = await db
    .select({ id: plaidAccounts.id, type: plaidAccounts.type, currency: sql<string>`coalesce(${plaidAccounts.isoCurrencyCode}, ${plaidAccounts.unofficialCurrencyCode}, 'USD')` })
    .from(plaidAccounts)
    .innerJoin(plaidItems, eq(plaidItems.id, plaidAccounts.itemId))
    .where(and(eq(plaidItems.userId, input.userId), notInArray(plaidItems.status, ['REMOVED', 'REVOKED']), isNull(plaidAccounts.removedAt)));
  const currency = mostCommon(accounts.map((a) => a.currency));
  const counted = accounts.filter((a) => a.currency === currency);
  const ids = counted.map((a) => a.id);
  if (ids.length === 0) return { currency, points: [] as BalancePoint[], recordedSince: null };

  const inWindow = await db
    .select({ accountId: accountBalanceSnapshots.accountId, day: accountBalanceSnapshots.day, balance: accountBalanceSnapshots.currentBalance })
    .from(accountBalanceSnapshots)
    .where(and(inArray(accountBalanceSnapshots.accountId, ids), gte(accountBalanceSnapshots.day, start), lte(accountBalanceSnapshots.day, end)))
    .orderBy(asc(accountBalanceSnapshots.day));
  // The balance each account had going into the window, if it was stored before the window began.
  const before = await db
    .selectDistinctOn([accountBalanceSnapshots.accountId], { accountId: accountBalanceSnapshots.accountId, day: accountBalanceSnapshots.day, balance: accountBalanceSnapshots.currentBalance })
    .from(accountBalanceSnapshots)
    .where(and(inArray(accountBalanceSnapshots.accountId, ids), lt(accountBalanceSnapshots.day, start)))
    .orderBy(accountBalanceSnapshots.accountId, desc(accountBalanceSnapshots.day));

  const days = Array.from({ length: input.days }, (_, i) => dayOf(dayNumber(start) + i * DAY_MS));
  const totals = new Map(days.map((d) => [d, 0]));
  const estimatedDays = new Set<string>();
  let recordedSince: string | null = null;
  for (const account of counted) {
    const sign = isDebt(account.type) ? -1 : 1;
    const stored = new Map(inWindow.filter((s) => s.accountId === account.id).map((s) => [s.day, s.balance]));
    const prior = before.find((s) => s.accountId === account.id);
    const first = prior?.day ?? inWindow.find((s) => s.accountId === account.id)?.day;
    if (!first) continue; // never stored: nothing to draw from
    if (!recordedSince || first < recordedSince) recordedSince = first;
    const backwards = first > start ? await reconstructed(db, account.id, start, first, Number(stored.get(first) ?? 0), sign) : new Map<string, number>();
    let last: number | null = prior?.balance == null ? null : Number(prior.balance);
    for (const d of days) {
      if (d < first) {
        totals.set(d, totals.get(d)! + sign * backwards.get(d)!);
        estimatedDays.add(d);
        continue;
      }
      const s = stored.get(d);
      if (s !== undefined) last = s === null ? null : Number(s);
      if (last !== null) totals.set(d, totals.get(d)! + sign * last);
    }
  }
  const points = days.map((d) => ({ day: d, netWorth: Math.round(totals.get(d)! * 100) / 100, estimated: estimatedDays.has(d) }));
  return { currency, points, recordedSince };
}

/**
 * An account's end-of-day balance on each day from `start` up to (not including) `first`, worked
 * back from its balance on `first`: each posted transaction dated after a day was not yet in that
 * day's balance (money out, a positive amount, had not left a bank account yet, nor been added to a
 * card's debt).
 */
async function reconstructed(db: Db, accountId: string, start: string, first: string, balanceOnFirst: number, sign: number) {
  const rows = await db
    .select({ date: plaidTransactions.date, total: sql<string>`sum(${plaidTransactions.amount})` })
    .from(plaidTransactions)
    .where(and(eq(plaidTransactions.accountId, accountId), gt(plaidTransactions.date, start), lte(plaidTransactions.date, first), eq(plaidTransactions.pending, false), isNull(plaidTransactions.removedAt)))
    .groupBy(plaidTransactions.date);
  const byDay = new Map(rows.map((r) => [r.date, Number(r.total)]));
  const out = new Map<string, number>();
  let balance = balanceOnFirst;
  for (let t = dayNumber(first) - DAY_MS; t >= dayNumber(start); t -= DAY_MS) {
    // Going back past day t+1 undoes that day's transactions.
    balance += sign * (byDay.get(dayOf(t + DAY_MS)) ?? 0);
    out.set(dayOf(t), balance);
  }
  return out;
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD';
}
