import { describe, expect, it } from 'vitest';
import { cancelRun, retryRun } from '../src/queries';
import type { Runner } from '../src/runner';
import { sleep, toyClient } from '../src/testing';
import { runnerTestWorld } from './world';

const world = runnerTestWorld();
let runner: Runner | undefined;
const client = toyClient();

describe('embedded runner: support console API', () => {
  it('lists runs by item id and by status, newest first', async () => {
    const fn = client.createFunction({ id: 'per-item', triggers: [{ event: 'toy/per-item' }] }, async ({ event }) => event.data.itemId);
    runner = await world.start(client, [fn]);
    const { runIds } = await runner.send([
      { name: 'toy/per-item', data: { itemId: 'item-a' } },
      { name: 'toy/per-item', data: { itemId: 'item-b' } },
      { name: 'toy/per-item', data: { itemId: 'item-a' } },
    ]);
    for (const id of runIds) await runner.waitForRun(id);
    const forA = await runner.listRuns({ itemId: 'item-a' });
    expect(forA.map((r) => r.id)).toEqual([runIds[2], runIds[0]]);
    expect(forA[0]).toMatchObject({ functionId: 'toy-per-item', eventName: 'toy/per-item', itemId: 'item-a', status: 'COMPLETED' });
    expect(await runner.listRuns({ status: 'FAILED' })).toEqual([]);
  });

  it('starts one run per function for a repeated sender-chosen event id', async () => {
    let runs = 0;
    const fn = client.createFunction({ id: 'once', triggers: [{ event: 'toy/once' }] }, async () => ++runs);
    runner = await world.start(client, [fn]);
    const first = await runner.send({ name: 'toy/once', id: 'webhook-42' });
    const again = await runner.send({ name: 'toy/once', id: 'webhook-42' });
    expect(first.runIds).toHaveLength(1);
    expect(again.runIds).toEqual([]);
    await runner.waitForRun(first.runIds[0]!);
    await runner.waitForIdle();
    expect(runs).toBe(1);
  });

  it('cancels a sleeping run so it never resumes', async () => {
    let after = 0;
    const fn = client.createFunction({ id: 'cancellable', triggers: [{ event: 'toy/cancel' }] }, async ({ step }) => {
      await step.sleep('long-nap', '1s');
      await step.run('after', () => ++after);
    });
    runner = await world.start(client, [fn]);
    const id = (await runner.send({ name: 'toy/cancel' })).runIds[0]!;
    await sleep(200);
    expect(await cancelRun(world.db, id)).toBe(true);
    await sleep(1300);
    expect((await runner.waitForRun(id)).status).toBe('CANCELLED');
    expect(after).toBe(0);
  });

  it('retries a failed run from its memoized steps', async () => {
    let broken = true;
    let firstStep = 0;
    const fn = client.createFunction({ id: 'fixable', retries: 0, triggers: [{ event: 'toy/fixable' }] }, async ({ step }) => {
      await step.run('done-already', () => ++firstStep);
      return step.run('needs-fix', () => {
        if (broken) throw new Error('still broken');
        return 'fixed';
      });
    });
    runner = await world.start(client, [fn]);
    const id = (await runner.send({ name: 'toy/fixable' })).runIds[0]!;
    expect((await runner.waitForRun(id)).status).toBe('FAILED');
    broken = false;
    expect(await retryRun(world.db, id)).toBe(true);
    await sleep(300); // the next poll picks it up
    const run = await runner.waitForRun(id);
    expect(run).toMatchObject({ status: 'COMPLETED', output: 'fixed' });
    expect(firstStep).toBe(1);
  });
});
