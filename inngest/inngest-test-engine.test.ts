import { InngestTestEngine } from '@inngest/test';
import { describe, expect, it } from 'vitest';
import { toyClient } from '@tributary/inngest-embedded/testing';

/**
 * Function logic alone, with @inngest/test (no runner, no database): the style for unit-testing
 * the app's functions. Mock steps by id; make a new engine per test (mocks are cached on it).
 */
const client = toyClient('engine');
const summarise = client.createFunction({ id: 'summarise', triggers: [{ event: 'toy/summarise' }] }, async ({ event, step }) => {
  const rows = await step.run('load-rows', () => [1, 2, 3].map((n) => n * Number(event.data.factor)));
  await step.sleep('cool-down', '1h');
  return step.run('total', () => rows.reduce((a, b) => a + b, 0));
});

describe('@inngest/test engine', () => {
  it('runs step callbacks in-process and returns the function result', async () => {
    const t = new InngestTestEngine({ function: summarise, steps: [{ id: 'cool-down', handler: () => undefined }] });
    const { result, ctx } = await t.execute({ events: [{ name: 'toy/summarise', data: { factor: 2 } }] });
    expect(result).toBe(12);
    expect(ctx.step.run).toHaveBeenCalledWith('load-rows', expect.any(Function));
    expect(ctx.step.sleep).toHaveBeenCalledWith('cool-down', '1h');
  });

  it('executes a single step and reports its output', async () => {
    const t = new InngestTestEngine({ function: summarise, events: [{ name: 'toy/summarise', data: { factor: 3 } }] });
    const { result } = await t.executeStep('load-rows');
    expect(result).toEqual([3, 6, 9]);
  });

  it('lets a test replace a step result by id', async () => {
    const t = new InngestTestEngine({
      function: summarise,
      steps: [
        { id: 'load-rows', handler: () => [10, 20] },
        { id: 'cool-down', handler: () => undefined },
      ],
    });
    const { result } = await t.execute({ events: [{ name: 'toy/summarise', data: { factor: 1 } }] });
    expect(result).toBe(30);
  });
});
