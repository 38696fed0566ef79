import { currentUser } from '../../../../server/auth/session';
import { isoDate, plaidId } from '../../../../server/trpc/schemas';
import { serverCaller } from '../../../../server/trpc/server';

export const dynamic = 'force-dynamic';
const MAX_ROWS = 50_000;

/** A CSV of the signed-in person's transactions under the same filters as the page (q, account, from, to). */
export async function GET(req: Request) {
  if (!(await currentUser())) return new Response('Please sign in to export your transactions.', { status: 401 });
  const sp = new URL(req.url).searchParams;
  const valid = <T,>(v: string | null, ok: (s: string) => boolean) => (v && ok(v) ? v : undefined);
  const filters = {
    search: sp.get('q')?.trim().slice(0, 100) || undefined,
    accountId: valid(sp.get('account'), (s) => plaidId.safeParse(s).success),
    from: valid(sp.get('from'), (s) => isoDate.safeParse(s).success),
    to: valid(sp.get('to'), (s) => isoDate.safeParse(s).success),
  };
  const api = await serverCaller();
  const lines = ['Date,Description,Merchant,Category,Amount,Currency,Status'];
  let cursor: string | undefined;
  let n = 0;
  do {
    const page = await api.transactions.cached({ ...filters, limit: 500, cursor });
    for (const t of page.transactions) {
      // People read money out as negative: Plaid's sign is flipped, as on the page.
      const amount = (-Number(t.amount)).toFixed(2);
      lines.push([t.date, t.name, t.merchantName ?? '', t.category ?? '', amount, t.isoCurrencyCode ?? '', t.pending ? 'Pending' : 'Posted'].map(csvCell).join(','));
      n += 1;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && n < MAX_ROWS);
  return new Response(`${lines.join('\r\n')}\r\n`, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="tributary-transactions.csv"', 'cache-control': 'no-store' },
  });
}

/** Quotes a cell, and defuses spreadsheet formulas (a cell starting with = + - @). */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
