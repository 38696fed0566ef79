import { InngestTestEngine } from '@inngest/test';
import { describe, expect, it } from 'vitest';
import type { WebhookOutcome } from '../../server/webhooks/handle/handle-stored-webhook';
import { toyClient } from '@tributary/inngest-embedded/testing';
import { createHandlePlaidWebhook } from './handle-plaid-webhook';

/** Step logic alone (@inngest/test): which steps follow from the outcome of the apply step. */
const fn = createHandlePlaidWebhook(toyClient('hooks-unit'), () => {
  throw new Error('steps are mocked: no context needed');
});
const event = { name: 'plaid/webhook.received', data: { webhookId: 'w-1' } };
const outcome = (o: Partial<WebhookOutcome>): WebhookOutcome => ({
  webhookId: 'w-1',
  itemId: 'item-1',
  state: 'PROCESSED',
  note: null,
  alreadyHandled: false,
  followUps: { syncItemId: null, analytics: [] },
  ...o,
});

describe('handle-plaid-webhook steps', () => {
  it('tracks analytics and requests a keyed sync after a repair', async () => {
    const repaired = outcome({
      followUps: {
        syncItemId: 'item-1',
        analytics: [{ event: 'Item Repaired', userId: 'u-1', properties: { itemId: 'item-1' }, dedupeKey: 'webhook:w-1:Item Repaired' }],
      },
    });
    const t = new InngestTestEngine({
      function: fn,
      steps: [
        { id: 'apply-webhook', handler: () => repaired },
        { id: 'track-analytics', handler: () => undefined },
        { id: 'request-sync', handler: () => ({ ids: ['e-1'] }) },
      ],
    });
    const { result, ctx } = await t.execute({ events: [event] });
    expect(result).toEqual({ webhookId: 'w-1', state: 'PROCESSED', note: null, alreadyHandled: false });
    expect(ctx.step.run).toHaveBeenCalledWith('track-analytics', expect.any(Function));
    expect(ctx.step.sendEvent).toHaveBeenCalledWith(
      'request-sync',
      expect.objectContaining({ name: 'item/sync.requested', data: { itemId: 'item-1', trigger: 'webhook' }, id: 'sync-for-webhook-w-1' }),
    );
  });

  it('runs no further step for an ignored webhook', async () => {
    const t = new InngestTestEngine({
      function: fn,
      steps: [{ id: 'apply-webhook', handler: () => outcome({ state: 'IGNORED', note: 'item is REMOVED; a late webhook never resurrects it' }) }],
    });
    const { result, ctx } = await t.execute({ events: [event] });
    expect(result).toMatchObject({ state: 'IGNORED', note: expect.stringContaining('REMOVED') });
    expect(ctx.step.run).toHaveBeenCalledTimes(1);
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });
});
