import { describe, expect, it } from 'vitest';
import { type Entry, MAX_BYTES_PER_CALL, takeBatch } from './batches';

const entry = (seq: number, itemId: string, bytes: number, retry = false): Entry => ({ seq, itemId, data: new Uint8Array(bytes), retry });

describe('PutRecords batches', () => {
  it('takes at most 500 records per call', () => {
    const pending = Array.from({ length: 1_203 }, (_, i) => entry(i, 'item-a', 100));
    const sizes = [];
    while (pending.length) sizes.push(takeBatch(pending, new Set()).length);
    expect(sizes).toEqual([500, 500, 203]);
  });

  it('keeps each call within 5 MiB counting data and partition keys', () => {
    const pending = Array.from({ length: 12 }, (_, i) => entry(i, 'item-a', 1_000_000));
    const batches: Entry[][] = [];
    while (pending.length) batches.push(takeBatch(pending, new Set()));
    expect(batches.map((b) => b.length)).toEqual([5, 5, 2]);
    for (const b of batches) expect(b.reduce((n, e) => n + e.data.byteLength + 6, 0)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
    expect(batches.flat().map((e) => e.seq)).toEqual([...Array(12).keys()]);
  });

  it('sends only the retried entries of a held item, and other items as usual', () => {
    const pending = [entry(1, 'a', 10, true), entry(2, 'b', 10), entry(3, 'a', 10), entry(4, 'b', 10)];
    const batch = takeBatch(pending, new Set(['a']));
    expect(batch.map((e) => e.seq)).toEqual([1, 2, 4]);
    expect(pending.map((e) => e.seq)).toEqual([3]);
  });
});
