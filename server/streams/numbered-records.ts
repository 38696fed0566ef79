import type { transactionChanges } from '../../db/schema/transaction-changes';
import type { SequencedRow } from './outbox';
import { transactionChangeRecords } from './page-records';
import type { PlaidRemovedTransactionInput, PlaidTransactionInput } from './plaid-input';
import { type OutboxRecord, type RecordContext, sequencedJson, type TransactionChange } from './records';

export type ChangeRow = typeof transactionChanges.$inferSelect;

/** The raw and the refined record of one logged change (the same ids on every render). */
export function renderChange(row: ChangeRow): OutboxRecord[] {
  const ctx: RecordContext = {
    userId: row.userId,
    itemId: row.itemId,
    receivedAt: new Date(row.receivedAt),
    institution: { id: row.institutionId, name: row.institutionName },
    ...(row.sourceVersion === null ? {} : { sourceVersion: row.sourceVersion }),
  };
  const change: TransactionChange = row.changeType === 'removed'
    ? { changeType: 'removed', transaction: row.transaction as PlaidRemovedTransactionInput, postedTransactionId: row.postedTransactionId, version: row.version }
    : { changeType: row.changeType, transaction: row.transaction as PlaidTransactionInput, version: row.version };
  return transactionChangeRecords(ctx, change);
}

/** A rendered record ready to send: its JSON as UTF-8 bytes, a view into its batch's one buffer. */
export interface EncodedRecord extends Omit<SequencedRow, 'data'> { data: Uint8Array }

/**
 * Encodes records' JSON into one buffer of their own (not Node's shared pool), so a worker can
 * move it to the publishing thread instead of copying strings, and the sender uses the bytes as
 * they are.
 */
export function encodeRecords(records: readonly SequencedRow[]): { records: EncodedRecord[]; buffer: ArrayBuffer } {
  let total = 0;
  for (const r of records) total += Buffer.byteLength(r.data);
  const buf = Buffer.allocUnsafeSlow(total);
  let at = 0;
  const encoded = records.map(({ data, ...rest }) => {
    const n = buf.write(data, at, 'utf8');
    const view = new Uint8Array(buf.buffer, buf.byteOffset + at, n);
    at += n;
    return { ...rest, data: view };
  });
  return { records: encoded, buffer: buf.buffer as ArrayBuffer };
}

/** Back to JSON text (for the outbox, which keeps what Kinesis did not take). */
export function decodeRecord({ data, ...rest }: EncodedRecord): SequencedRow {
  return { ...rest, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8') };
}

/**
 * A logged change as the publisher reads it: Plaid's object as JSON text (`transaction::text`),
 * parsed where it is rendered — on the render worker, not the publishing thread.
 */
export type LoggedChange = Omit<ChangeRow, 'transaction'> & { transaction: string };

/** Logged changes and the first sequence number reserved for each `item|stream` they need. */
export interface NumberedPart { rows: LoggedChange[]; first: Record<string, number> }

/** A logged change with its object parsed. */
export const parsedChange = (row: LoggedChange): ChangeRow => ({ ...row, transaction: JSON.parse(row.transaction) as unknown });

/** Renders changes into their raw and refined records, numbered from `first` (per item and stream, in the rows' order). */
export function numberedRecords({ rows, first }: NumberedPart): SequencedRow[] {
  const next = new Map(Object.entries(first));
  return rows.flatMap((row) => renderChange(parsedChange(row))).map((record) => {
    const key = `${record.itemId}|${record.stream}`;
    const sequence = next.get(key)!;
    next.set(key, sequence + 1);
    return { stream: record.stream, itemId: record.itemId, recordId: record.recordId, sequence, data: sequencedJson(record, sequence) };
  });
}
