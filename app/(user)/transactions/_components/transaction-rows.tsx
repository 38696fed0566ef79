'use client';

import { useRef, useState } from 'react';
import { day, humanize, signedAmount } from '../../../_components/format';
import { TransactionDetail } from './transaction-detail';

export interface TxRow {
  id: string; date: string; name: string; merchantName: string | null; amount: string | number;
  isoCurrencyCode: string | null; pending: boolean; category: string | null; accountId: string;
  authorizedDate?: string | null; categoryDetailed?: string | null; paymentChannel?: string | null; pendingTransactionId?: string | null;
}

/** Transactions grouped by day (one heading row per day); money in with +, out with −; each opens a detail view. */
export function TransactionRows({ rows, accountNames, caption }: { rows: TxRow[]; accountNames: Record<string, string>; caption: string }) {
  const [open, setOpen] = useState<TxRow | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const days: Array<{ date: string; rows: TxRow[] }> = [];
  for (const t of rows) {
    const last = days[days.length - 1];
    if (last && last.date === t.date) last.rows.push(t);
    else days.push({ date: t.date, rows: [t] });
  }
  const show = (t: TxRow) => { setOpen(t); dialog.current?.showModal(); };
  return (
    <>
      <table className="table tx-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col">Category</th>
            <th scope="col">Account</th>
            <th scope="col" className="num">Amount</th>
          </tr>
        </thead>
        {days.map((d) => (
          <tbody key={d.date}>
            <tr className="day-row"><th scope="rowgroup" colSpan={4}>{day(d.date)}</th></tr>
            {d.rows.map((t) => {
              const amount = signedAmount(t.amount, t.isoCurrencyCode);
              return (
                <tr key={t.id} className="tx-row">
                  <td>
                    <button type="button" className="linklike" onClick={() => show(t)}>{t.merchantName ?? t.name}</button>{' '}
                    {t.pending && <span className="badge badge-pending">Pending</span>}
                  </td>
                  <td data-label="Category">{humanize(t.category)}</td>
                  <td className="muted" data-label="Account">{accountNames[t.accountId] ?? '—'}</td>
                  <td className={`num amount-${amount.direction}`} data-label="Amount">{amount.text}</td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
      <dialog ref={dialog} className="confirm" aria-labelledby="tx-detail-title" onClose={() => setOpen(null)}>
        {open && <TransactionDetail t={open} account={accountNames[open.accountId] ?? 'Unknown account'} onClose={() => dialog.current?.close()} />}
      </dialog>
    </>
  );
}
