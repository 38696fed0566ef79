import { InngestTestEngine } from '@inngest/test';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { testJobContext } from '../../test/support/job-context';
import { silentLog } from '../../test/support/harness';
import { toyClient } from '@tributary/inngest-embedded/testing';
import { createSyncTransactions } from './sync-transactions';

/** Step logic alone (@inngest/test): the database and Plaid are never reached, steps are mocked by id. */
const unreachable = new Proxy({}, { get: () => { throw new Error('the database must not be touched'); } }) as Db;
const context = () => testJobContext({ db: unreachable, log: silentLog });
const fn = createSyncTransactions(toyClient('engine-sync'), context);
const event = { name: 'item/sync.requested', data: { itemId: 'item-1', trigger: 'webhook' } };
const synced = (records: number) => ({ status: 'SUCCEEDED', runId: 'run-1', pages: 2, added: 3, modified: 0, removed: 0, restarts: 0, records, updateStatus: null });

describe('sync-transactions step logic', () => {
  it('skips the sync of an item that may not be synced (no run row)', async () => {
    const t = new InngestTestEngine({ function: fn, events: [event], steps: [{ id: 'open-sync-run', handler: () => null }] });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ status: 'SKIPPED', itemId: 'item-1' });
    expect(ctx.step.run).not.toHaveBeenCalledWith('sync-pages', expect.any(Function));
  });

  it('asks for a stream publish after a sync that wrote outbox records', async () => {
    const t = new InngestTestEngine({
      function: fn,
      events: [event],
      steps: [
        { id: 'open-sync-run', handler: () => 'run-1' },
        { id: 'sync-pages', handler: () => synced(6) },
        { id: 'request-publish', handler: () => ({ ids: ['e1'] }) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toMatchObject({ status: 'SUCCEEDED', records: 6 });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith('request-publish', expect.objectContaining({ name: 'streams/publish.requested', data: { itemId: 'item-1' } }));
  });

  it('does not ask for a publish when the sync changed nothing', async () => {
    const t = new InngestTestEngine({
      function: fn,
      events: [event],
      steps: [
        { id: 'open-sync-run', handler: () => 'run-1' },
        { id: 'sync-pages', handler: () => synced(0) },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toMatchObject({ status: 'SUCCEEDED', records: 0 });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });
});
