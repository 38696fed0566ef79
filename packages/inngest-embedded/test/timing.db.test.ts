import { describe, expect, it } from 'vitest';
import type { Runner } from '../src/runner';
import { sleep, toyClient } from '../src/testing';
import { runnerTestWorld } from './world';

const world = runnerTestWorld();
let runner: Runner | undefined;
const client = toyClient();

const waiter = client.createFunction({ id: 'waiter', triggers: [{ event: 'toy/wait' }] }, async ({ step }) => {
  const approval = await step.waitForEvent('approval', { event: 'toy/approved', match: 'data.itemId', timeout: '2s' });
  return approval ? approval.data : null;
});

describe('embedded runner: time', () => {
  it('sleeps for real time and resumes without re-running earlier steps', async () => {
    let before = 0;
    const fn = client.createFunction({ id: 'napper', triggers: [{ event: 'toy/nap' }] }, async ({ step }) => {
      const at = await step.run('before', () => ++before && Date.now());
      await step.sleep('nap', '1s');
      return step.run('after', () => Date.now() - at);
    });
    runner = await world.start(client, [fn]);
    const { runIds } = await runner.send({ name: 'toy/nap' });
    await sleep(300);
    expect((await runner.listRuns({ functionId: 'toy-napper' }))[0]?.status).toBe('SLEEPING');
    const run = await runner.waitForRun(runIds[0]!);
    expect(run.status).toBe('COMPLETED');
    expect(run.output).toBeGreaterThanOrEqual(1000);
    expect(before).toBe(1);
  });

  it('resumes a waitForEvent with the matching event only', async () => {
    runner = await world.start(client, [waiter]);
    const { runIds } = await runner.send({ name: 'toy/wait', data: { itemId: 'item-1' } });
    await sleep(300);
    expect((await runner.send({ name: 'toy/approved', data: { itemId: 'item-2', by: 'wrong' } })).runIds).toEqual([]);
    expect((await runner.send({ name: 'toy/approved', data: { itemId: 'item-1', by: 'ada' } })).runIds).toEqual(runIds);
    const run = await runner.waitForRun(runIds[0]!);
    expect(run.output).toEqual({ itemId: 'item-1', by: 'ada' });
  });

  it('times a waitForEvent out to null', async () => {
    runner = await world.start(client, [waiter]);
    const started = Date.now();
    const { runIds } = await runner.send({ name: 'toy/wait', data: { itemId: 'item-1' } });
    const run = await runner.waitForRun(runIds[0]!);
    expect(run.status).toBe('COMPLETED');
    expect(run.output).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('fires a cron function at its schedule and queues the next tick', async () => {
    const fired: number[] = [];
    const fn = client.createFunction({ id: 'ticker', triggers: [{ cron: '* * * * *' }] }, async ({ event }) => {
      fired.push(Number(event.ts));
      return event.name;
    });
    // Shift the runner's clock so the next minute boundary is 300 ms away.
    const realNow = Date.now();
    const offset = Math.ceil(realNow / 60_000) * 60_000 - 300 - realNow;
    runner = await world.start(client, [fn], { clock: () => Date.now() + offset });
    const [queued] = await runner.listRuns({ functionId: 'toy-ticker' });
    expect(queued?.status).toBe('QUEUED');
    const run = await runner.waitForRun(queued!.id, { timeoutMs: 5000 });
    expect(run.output).toBe('inngest/scheduled.timer');
    expect(fired).toHaveLength(1);
    expect(fired[0]! % 60_000).toBe(0);
    const next = (await runner.listRuns({ functionId: 'toy-ticker', status: 'QUEUED' }))[0];
    expect(next?.runAt.getTime()).toBe(fired[0]! + 60_000);
  });
});
