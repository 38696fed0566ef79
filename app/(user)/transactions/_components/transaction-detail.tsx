import { day, humanize, signedAmount } from '../../../_components/format';
import type { TxRow } from './transaction-rows';

/** Everything stored about one transaction, in words. */
export function TransactionDetail({ t, account, onClose }: { t: TxRow; account: string; onClose: () => void }) {
  const amount = signedAmount(t.amount, t.isoCurrencyCode);
  return (
    <>
      <h2 id="tx-detail-title">{t.merchantName ?? t.name}</h2>
      <p className={`big-number amount-${amount.direction}`}>{amount.text}</p>
      <dl className="kv">
        <div><dt>Status</dt><dd>{t.pending ? 'Pending: the bank has not settled it yet' : t.pendingTransactionId ? 'Posted (was pending before)' : 'Posted'}</dd></div>
        <div><dt>Date</dt><dd>{day(t.date)}</dd></div>
        {t.authorizedDate && <div><dt>Authorised on</dt><dd>{day(t.authorizedDate)}</dd></div>}
        <div><dt>Description from the bank</dt><dd>{t.name}</dd></div>
        {t.merchantName && <div><dt>Merchant</dt><dd>{t.merchantName}</dd></div>}
        <div><dt>Category</dt><dd>{humanize(t.category)}{t.categoryDetailed ? ` · ${humanize(t.categoryDetailed.replace(`${t.category ?? ''}_`, ''))}` : ''}</dd></div>
        {t.paymentChannel && <div><dt>How it was paid</dt><dd>{humanize(t.paymentChannel)}</dd></div>}
        <div><dt>Account</dt><dd>{account}</dd></div>
      </dl>
      <button type="button" className="secondary" onClick={onClose}>Close</button>
    </>
  );
}
