import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, plaidWebhooks, syncRuns } from '../../db/schema';
import { recordLinkEvent } from '../link-events';
import { createHarness, type Harness } from '../../test/support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('support.timeline.forItem', () => {
  it('puts Link, webhooks, syncs, status changes, support actions and emails of one item in one list, oldest first', async () => {
    const user = await h.createUser();
    const support = await h.createUser('support');
    const linked = await h.linkBank(user);
    const itemId = linked.item.id;
    const session = linked.metadata.link_session_id;
    await recordLinkEvent(h.db, user.id, { kind: 'event', eventName: 'OPEN', metadata: { link_session_id: session } });
    await recordLinkEvent(h.db, user.id, { kind: 'event', eventName: 'TRANSITION_VIEW', metadata: { link_session_id: session, view_name: 'CREDENTIAL' } });
    await recordLinkEvent(h.db, user.id, { kind: 'event', eventName: 'TRANSITION_VIEW', metadata: { link_session_id: session, view_name: 'LOADING' } });
    await recordLinkEvent(h.db, user.id, { kind: 'success', metadata: { link_session_id: session, institution: { name: 'First Platypus Bank', institution_id: 'ins_109508' } } });
    await h.db.insert(plaidWebhooks).values({ source: 'plaid', itemId, webhookType: 'TRANSACTIONS', webhookCode: 'SYNC_UPDATES_AVAILABLE', rawBody: '{}', verified: true, state: 'PROCESSED' });
    await h.db.insert(syncRuns).values({ itemId, status: 'SUCCEEDED', trigger: 'webhook', pages: 2, added: 40 });
    // A login expiry (a status change through the lifecycle writer), then the person reconnects.
    await h.caller(user).items.resetLogin({ itemId });
    await expect(h.caller(user).accounts.live({ itemId })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await h.db.insert(notifications).values({ idempotencyKey: `t-${itemId}`, userId: user.id, itemId, kind: 'login_required', messageKey: `m-${itemId}`, status: 'sent', sentAt: new Date() });
    const { linkToken } = await h.caller(user).link.createToken({ itemId });
    expect(h.emu.emulator.link.completeLink({ linkToken, institutionId: 'ins_109508', username: 'user_good', password: 'pass_good' }).status).toBe('success');
    await h.caller(user).items.completeUpdate({ itemId });
    await h.caller(support).support.items.remine({ itemId, reason: 'customer asked' });

    const { item, entries, truncated } = await h.caller(support).support.timeline.forItem({ itemId });
    expect(item).toMatchObject({ id: itemId, userId: user.id, status: 'ACTIVE' });
    expect(truncated).toBe(false);
    const times = entries.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(['link', 'webhook', 'sync', 'status', 'support', 'notification']));
    const titles = entries.map((e) => e.title);
    expect(titles).toEqual(expect.arrayContaining([
      'Linked First Platypus Bank', 'Link opened', 'Link showed the bank’s sign-in form', 'Link succeeded', 'Webhook: transactions · sync updates available', 'Sync succeeded',
      'Status active → error', 'Status error → active', 'Reconnected the bank through Link', 'Asked for a re-mine', 'Email: login required',
    ]));
    expect(entries.filter((e) => e.kind === 'link').map((e) => e.title)).toEqual(['Linked First Platypus Bank', 'Link opened', 'Link showed the bank’s sign-in form', 'Link succeeded']); // the loading pane is left out
    // The error comes before the repair, and the repair is the person's reconnect.
    expect(titles.indexOf('Status active → error')).toBeLessThan(titles.indexOf('Status error → active'));
    expect(entries.find((e) => e.title === 'Status active → error')).toMatchObject({ detail: 'reason: item login required', tone: 'bad' });
    expect(entries.find((e) => e.title === 'Asked for a re-mine')?.detail).toBe(`by ${support.email} · reason: customer asked`);
    expect(entries.find((e) => e.title === 'Reconnected the bank through Link')?.detail).toBe(`by ${user.email} (the customer)`);

    const latest = await h.caller(support).support.timeline.forItem({ itemId, limit: 3 });
    expect(latest.truncated).toBe(true);
    expect(latest.entries).toEqual(entries.slice(-3));
  });

  it('is for support only and says when an item does not exist', async () => {
    const user = await h.createUser();
    const { item } = await h.linkBank(user);
    await expect(h.caller(user).support.timeline.forItem({ itemId: item.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const support = await h.createUser('support');
    await expect(h.caller(support).support.timeline.forItem({ itemId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
