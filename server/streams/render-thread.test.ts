import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setEnvForTests } from '../../test/support/env';
import { fakePlaidTransaction } from '../../test/support/streams';
import { decodeRecord, type LoggedChange, numberedRecords } from './numbered-records';
import { renderOffThread, renderThread } from './render-thread';

setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

/** Rows as the change log holds them: two items, added, modified and removed changes. */
function rows(): LoggedChange[] {
  const items = [randomUUID(), randomUUID()];
  return Array.from({ length: 60 }, (_, i) => {
    const t = fakePlaidTransaction(i % 20, i % 7 === 0 ? { name: 'Café "Zoë" \\ 🍵' } : {});
    const changeType = i < 20 ? 'added' : i < 40 ? 'modified' : 'removed';
    return {
      seq: i + 1, itemId: items[i % 2]!, userId: 'u1', changeType,
      transaction: JSON.stringify(changeType === 'removed' ? { transaction_id: t.transaction_id, account_id: t.account_id } : t),
      postedTransactionId: null, institutionId: 'ins_1', institutionName: 'First Platypus Bank',
      sourceVersion: i % 3 ? `cursor-${i}` : null, version: 1 + Math.floor(i / 20), receivedAt: new Date(1_800_000_000_000 + i), createdAt: new Date(),
    } satisfies LoggedChange;
  });
}

describe('rendering off the publishing thread', () => {
  it('renders on a worker thread exactly the records this thread would, numbered from the reserved first numbers', async () => {
    const part = { rows: rows(), first: {} as Record<string, number> };
    for (const r of part.rows) for (const stream of ['raw-transactions', 'refined-transactions']) part.first[`${r.itemId}|${stream}`] ??= 41;
    const second = { rows: rows(), first: {} as Record<string, number> };
    for (const r of second.rows) for (const stream of ['raw-transactions', 'refined-transactions']) second.first[`${r.itemId}|${stream}`] ??= 1;
    const [a, b] = await Promise.all([renderOffThread([part]), renderOffThread([part, second])]);
    expect(renderThread()).toBe('worker');
    // Each record's JSON arrives as UTF-8 bytes, all of a batch in one buffer moved from the worker.
    expect(a.every((r) => r.data instanceof Uint8Array && r.data.buffer === a[0]!.data.buffer)).toBe(true);
    expect(a.map(decodeRecord)).toEqual(numberedRecords(part));
    expect(b.map(decodeRecord)).toEqual([...numberedRecords(part), ...numberedRecords(second)]);
    expect(a).toHaveLength(120);
    expect(a.filter((r) => r.itemId === part.rows[0]!.itemId && r.stream === 'raw-transactions').map((r) => r.sequence)).toEqual(Array.from({ length: 30 }, (_, i) => 41 + i));
  });

  it('passes a rendering error back as an error of that batch, and keeps working', async () => {
    const broken = { rows: [{ ...rows()[0]!, transaction: JSON.stringify({ transaction_id: '' }) }], first: {} };
    await expect(renderOffThread([broken])).rejects.toThrow();
    const part = { rows: rows().slice(0, 2), first: Object.fromEntries(rows().slice(0, 2).flatMap((r) => [[`${r.itemId}|raw-transactions`, 1], [`${r.itemId}|refined-transactions`, 1]])) };
    expect((await renderOffThread([part])).map(decodeRecord)).toEqual(numberedRecords(part));
    expect(renderThread()).toBe('worker');
  });
});
