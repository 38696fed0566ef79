import { describe, expect, it } from 'vitest';
import type { InngestFunction } from 'inngest';
import type { Runner, RunnerOptions } from '../src/runner';
import { gate, sleep, toyClient } from '../src/testing';
import { runnerTestWorld } from './world';

const world = runnerTestWorld();
const client = toyClient();

/** first → second (held open on its first execution) → third, counting body executions. */
function interruptible() {
  const calls = { first: 0, second: 0, third: 0 };
  const hold = gate();
  const started = gate();
  const fn = client.createFunction({ id: 'interruptible', triggers: [{ event: 'toy/interruptible' }] }, async ({ step }) => {
    const a = await step.run('first', () => ++calls.first);
    const b = await step.run('second', async () => {
      if (++calls.second === 1) {
        started.open();
        await hold.promise;
      }
      return a + 1;
    });
    return step.run('third', () => ++calls.third && b + 1);
  });
  return { fn, calls, hold, started };
}

async function start(overrides: Partial<RunnerOptions>, fn: InngestFunction.Any) {
  const runner = await world.start(client, [fn], overrides);
  return runner;
}

describe('embedded runner: persistence', () => {
  it('resumes a run interrupted by a stop on a new runner without re-running completed steps', async () => {
    const { fn, calls, hold, started } = interruptible();
    const first = await start({}, fn);
    const { runIds } = await first.send({ name: 'toy/interruptible' });
    await started.promise;
    await first.stop({ graceMs: 0 });
    const second = await start({}, fn);
    const run = await second.waitForRun(runIds[0]!);
    hold.open(); // the abandoned execution finishes late; it must not write anything
    await sleep(50);
    expect(run).toMatchObject({ status: 'COMPLETED', output: 3 });
    expect(calls).toEqual({ first: 1, second: 2, third: 1 });
    expect((await second.waitForRun(runIds[0]!)).stack).toEqual(run.stack);
  });

  it("takes over a dead runner's run once its lease expires", async () => {
    const { fn, calls, hold, started } = interruptible();
    const dead = await start({ leaseMs: 400 }, fn);
    const { runIds } = await dead.send({ name: 'toy/interruptible' });
    await started.promise;
    await dead.stop({ graceMs: 0, release: false }); // as if the process died: the claim stays
    const heir = await start({ leaseMs: 400, pollIntervalMs: 100 }, fn);
    await sleep(150);
    expect((await heir.listRuns())[0]?.status).toBe('RUNNING');
    const run = await heir.waitForRun(runIds[0]!);
    hold.open();
    expect(run).toMatchObject({ status: 'COMPLETED', output: 3 });
    expect(calls).toEqual({ first: 1, second: 2, third: 1 });
  });

  it('runs each run once when two runners share the database', async () => {
    const bodies = new Map<number, number>();
    const fn = client.createFunction({ id: 'shared', triggers: [{ event: 'toy/shared' }] }, async ({ event, step }) => {
      const n = Number(event.data.n);
      await step.run('count', () => bodies.set(n, (bodies.get(n) ?? 0) + 1) && n);
      return step.run('again', () => n * 2);
    });
    const a = await start({ registerEventEndpoint: false, pollIntervalMs: 50 }, fn);
    const b = await start({ registerEventEndpoint: false, pollIntervalMs: 50 }, fn);
    const events = Array.from({ length: 12 }, (_, n) => ({ name: 'toy/shared', data: { n } }));
    const { runIds } = await a.send(events);
    await Promise.all(runIds.map((id) => b.waitForRun(id)));
    expect([...bodies.values()]).toEqual(Array(12).fill(1));
  });
});
