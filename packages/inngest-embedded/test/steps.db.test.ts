import { NonRetriableError } from 'inngest';
import { describe, expect, it } from 'vitest';
import type { Runner } from '../src/runner';
import { toyClient } from '../src/testing';
import { runnerTestWorld } from './world';

const world = runnerTestWorld();
let runner: Runner | undefined;
const client = toyClient();

describe('embedded runner: steps', () => {
  it('runs a multi-step function to completion, executing each step body once', async () => {
    const calls = { a: 0, b: 0, c: 0, d: 0 };
    const fn = client.createFunction({ id: 'multi', triggers: [{ event: 'toy/multi' }] }, async ({ event, step }) => {
      const a = await step.run('a', () => ++calls.a + Number(event.data.base));
      const b = await step.run('b', () => ++calls.b + a);
      const [c, d] = await Promise.all([step.run('c', () => ++calls.c * 10), step.run('d', () => ++calls.d * 100)]);
      return { a, b, c, d };
    });
    runner = await world.start(client, [fn]);
    const { runIds } = await runner.send({ name: 'toy/multi', data: { base: 1 } });
    expect(runIds).toHaveLength(1);
    const run = await runner.waitForRun(runIds[0]!);
    expect(run.status).toBe('COMPLETED');
    expect(run.output).toEqual({ a: 2, b: 3, c: 10, d: 100 });
    expect(calls).toEqual({ a: 1, b: 1, c: 1, d: 1 });
    expect(run.stack).toHaveLength(4);
  });

  it('delivers inngest.send from the client to the runner in-process', async () => {
    const fn = client.createFunction({ id: 'echo', triggers: [{ event: 'toy/echo' }] }, async ({ event }) => event.data);
    runner = await world.start(client, [fn]);
    const { ids } = await client.send({ name: 'toy/echo', data: { hello: 'world' } });
    expect(ids).toHaveLength(1);
    await runner.waitForIdle();
    const [summary] = await runner.listRuns({ functionId: 'toy-echo' });
    const run = await runner.waitForRun(summary!.id);
    expect(run.output).toEqual({ hello: 'world' });
  });

  it('retries a failing step up to the retry limit, then fails the run with the error recorded', async () => {
    let tries = 0;
    const fn = client.createFunction({ id: 'flaky', retries: 2, triggers: [{ event: 'toy/flaky' }] }, async ({ step }) => {
      await step.run('always-fails', () => {
        tries++;
        throw new Error(`boom ${tries}`);
      });
    });
    runner = await world.start(client, [fn]);
    const { runIds } = await runner.send({ name: 'toy/flaky' });
    const run = await runner.waitForRun(runIds[0]!);
    expect(tries).toBe(3); // retries: 2 → three attempts
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ message: expect.stringContaining('boom 3') });
    expect(run.attemptErrors.map((e) => e.error.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('boom 1'), expect.stringContaining('boom 2'), expect.stringContaining('boom 3')]),
    );
    const [summary] = await runner.listRuns({ functionId: 'toy-flaky', status: 'FAILED' });
    expect(summary?.attemptErrors.length).toBeGreaterThanOrEqual(3);
  });

  it('recovers when a step succeeds on a retry', async () => {
    let tries = 0;
    const fn = client.createFunction({ id: 'recovers', triggers: [{ event: 'toy/recovers' }] }, async ({ step }) => {
      return step.run('second-time-lucky', () => {
        if (++tries < 2) throw new Error('not yet');
        return 'ok';
      });
    });
    runner = await world.start(client, [fn]);
    const run = await runner.waitForRun((await runner.send({ name: 'toy/recovers' })).runIds[0]!);
    expect(run).toMatchObject({ status: 'COMPLETED', output: 'ok' });
    expect(tries).toBe(2);
  });

  it('stops at once on NonRetriableError', async () => {
    let tries = 0;
    const fn = client.createFunction({ id: 'fatal', retries: 5, triggers: [{ event: 'toy/fatal' }] }, async ({ step }) => {
      await step.run('give-up', () => {
        tries++;
        throw new NonRetriableError('login required');
      });
    });
    runner = await world.start(client, [fn]);
    const run = await runner.waitForRun((await runner.send({ name: 'toy/fatal' })).runIds[0]!);
    expect(run.status).toBe('FAILED');
    expect(tries).toBe(1);
    expect(run.error).toMatchObject({ message: expect.stringContaining('login required') });
  });

  it('retries a function-level error (thrown outside any step) and then calls onFailure', async () => {
    let tries = 0;
    const failures: string[] = [];
    const fn = client.createFunction(
      {
        id: 'throws',
        retries: 1,
        triggers: [{ event: 'toy/throws' }],
        onFailure: async ({ error, event }) => {
          failures.push(`${error.message} for ${String((event.data.event as { data: { n: number } }).data.n)}`);
        },
      },
      async () => {
        tries++;
        throw new Error('top-level');
      },
    );
    runner = await world.start(client, [fn]);
    const run = await runner.waitForRun((await runner.send({ name: 'toy/throws', data: { n: 7 } })).runIds[0]!);
    expect(run.status).toBe('FAILED');
    expect(tries).toBe(2);
    await runner.waitForIdle();
    const [handler] = await runner.listRuns({ functionId: 'toy-throws-failure' });
    expect((await runner.waitForRun(handler!.id)).status).toBe('COMPLETED');
    expect(failures).toEqual(['top-level for 7']);
  });
});
