import { describe, expect, it } from 'vitest';
import type { Runner } from '../src/runner';
import { sleep, toyClient } from '../src/testing';
import { runnerTestWorld } from './world';

const world = runnerTestWorld();
let runner: Runner | undefined;
const client = toyClient();

/** A function whose single step records when it runs, per item, and holds for `holdMs`. */
function trackedFunction(id: string, holdMs: number, cap?: number) {
  const spans: Array<{ itemId: string; start: number; end: number }> = [];
  const fn = client.createFunction(
    { id, triggers: [{ event: `toy/${id}` }], concurrency: cap ? [{ key: 'event.data.itemId', limit: 1 }, { limit: cap }] : [{ key: 'event.data.itemId', limit: 1 }] },
    async ({ event, step }) => {
      await step.run('work', async () => {
        const start = Date.now();
        await sleep(holdMs);
        spans.push({ itemId: String(event.data.itemId), start, end: Date.now() });
      });
    },
  );
  return { fn, spans };
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

describe('embedded runner: flow control', () => {
  it('serialises two runs with the same concurrency key (limit 1)', async () => {
    const { fn, spans } = trackedFunction('same-key', 300);
    runner = await world.start(client, [fn]);
    const { runIds } = await runner.send([
      { name: 'toy/same-key', data: { itemId: 'item-1' } },
      { name: 'toy/same-key', data: { itemId: 'item-1' } },
    ]);
    for (const id of runIds) expect((await runner.waitForRun(id)).status).toBe('COMPLETED');
    expect(spans).toHaveLength(2);
    expect(overlaps(spans[0]!, spans[1]!)).toBe(false);
  });

  it('runs different concurrency keys in parallel', async () => {
    const { fn, spans } = trackedFunction('other-keys', 300);
    runner = await world.start(client, [fn]);
    const { runIds } = await runner.send([
      { name: 'toy/other-keys', data: { itemId: 'item-1' } },
      { name: 'toy/other-keys', data: { itemId: 'item-2' } },
    ]);
    for (const id of runIds) expect((await runner.waitForRun(id)).status).toBe('COMPLETED');
    expect(spans).toHaveLength(2);
    expect(overlaps(spans[0]!, spans[1]!)).toBe(true);
  });

  it('holds a function-wide cap next to the per-key limit', async () => {
    const { fn, spans } = trackedFunction('capped', 300, 2);
    runner = await world.start(client, [fn]);
    const { runIds } = await runner.send(['a', 'b', 'c', 'd', 'e'].map((itemId) => ({ name: 'toy/capped', data: { itemId } })));
    for (const id of runIds) expect((await runner.waitForRun(id)).status).toBe('COMPLETED');
    expect(spans).toHaveLength(5);
    const atOnce = Math.max(...spans.map((s) => spans.filter((o) => o.start <= s.start && s.start < o.end).length));
    expect(atOnce).toBe(2);
  });

  it('coalesces a debounced burst into one run that gets the last event', async () => {
    const seen: unknown[] = [];
    const fn = client.createFunction(
      { id: 'debounced', triggers: [{ event: 'toy/debounced' }], debounce: { key: 'event.data.itemId', period: '1s' } },
      async ({ event, step }) => step.run('sync', () => seen.push(event.data) && event.data),
    );
    runner = await world.start(client, [fn]);
    const runIds = new Set<string>();
    const sentAt = Date.now();
    for (let n = 1; n <= 4; n++) {
      for (const id of (await runner.send({ name: 'toy/debounced', data: { itemId: 'item-1', n } })).runIds) runIds.add(id);
      await sleep(150);
    }
    const other = (await runner.send({ name: 'toy/debounced', data: { itemId: 'item-2', n: 99 } })).runIds;
    expect(runIds.size).toBe(1);
    const run = await runner.waitForRun([...runIds][0]!);
    expect(run.output).toEqual({ itemId: 'item-1', n: 4 });
    expect(run.finishedAt!.getTime() - sentAt).toBeGreaterThanOrEqual(1000 + 3 * 150);
    await runner.waitForRun(other[0]!);
    expect(seen).toEqual([{ itemId: 'item-1', n: 4 }, { itemId: 'item-2', n: 99 }]);
  });

  it('starts a new debounced run for an event that arrives after the previous one began', async () => {
    const fn = client.createFunction(
      { id: 'debounce-again', triggers: [{ event: 'toy/again' }], debounce: { key: 'event.data.itemId', period: '1s' } },
      async ({ event }) => event.data.n,
    );
    runner = await world.start(client, [fn]);
    const first = (await runner.send({ name: 'toy/again', data: { itemId: 'i', n: 1 } })).runIds[0]!;
    await runner.waitForRun(first);
    const second = (await runner.send({ name: 'toy/again', data: { itemId: 'i', n: 2 } })).runIds[0]!;
    expect(second).not.toBe(first);
    expect((await runner.waitForRun(second)).output).toBe(2);
  });
});
