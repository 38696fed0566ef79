import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { toyClient } from '../src/testing';
import { runnerTestWorld } from './world';

const world = runnerTestWorld();
const client = toyClient('context');

describe('embedded runner: async context', () => {
  it("a run does not inherit the async-local context of the send that woke it (a request's trace, say)", async () => {
    const requestScope = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const fn = client.createFunction({ id: 'look', triggers: [{ event: 'toy/look' }] }, async ({ step }) => {
      seen.push(requestScope.getStore());
      await step.run('inside', () => void seen.push(requestScope.getStore()));
    });
    const runner = await world.start(client, [fn], { pollIntervalMs: 10_000 });
    await runner.waitForIdle(); // the start's own poll is over: the send below is what wakes it
    // The send wakes the idle runner at once (no poll due for 10 s), from inside the "request".
    await requestScope.run('request 1', () => client.send({ name: 'toy/look', data: {} }));
    await runner.waitForIdle();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.every((s) => s === undefined)).toBe(true);
  });
});
