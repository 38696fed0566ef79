/** Kinesis PutRecords limits (data blob + partition key count toward the sizes). */
export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
export const MAX_BYTES_PER_RECORD = 1024 * 1024;

export interface Entry {
  seq: number;
  itemId: string;
  data: Uint8Array;
  /** A retry of an entry that failed in an earlier call. */
  retry: boolean;
}

export const entrySize = (e: Entry) => e.data.byteLength + Buffer.byteLength(e.itemId);

/**
 * Takes the next PutRecords batch out of `pending` (seq order): at most 500 entries and 5 MiB.
 * Items in `held` (a record of theirs failed in the last call) contribute only their retried
 * entries, so none of their later records goes out ahead of the failed one.
 */
export function takeBatch(pending: Entry[], held: ReadonlySet<string>, limits = { records: MAX_RECORDS_PER_CALL, bytes: MAX_BYTES_PER_CALL }): Entry[] {
  const batch: Entry[] = [];
  const taken = new Set<number>();
  let bytes = 0;
  for (let i = 0; i < pending.length && batch.length < limits.records; i++) {
    const entry = pending[i]!;
    if (held.has(entry.itemId) && !entry.retry) continue;
    const size = entrySize(entry);
    if (bytes + size > limits.bytes) break;
    batch.push(entry);
    taken.add(i);
    bytes += size;
  }
  if (taken.size > 0) {
    let w = 0;
    for (let i = 0; i < pending.length; i++) if (!taken.has(i)) pending[w++] = pending[i]!;
    pending.length = w;
  }
  return batch;
}
