import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../test/support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('audit trail', () => {
  it('records a change of main account and a reconnect through Link, and names who acted', async () => {
    const user = await h.createUser();
    const support = await h.createUser('support');
    const { item } = await h.linkBank(user);
    const api = h.caller(user);
    const accounts = await h.caller(support).support.accounts.list({ userId: user.id });
    const other = accounts.find((a) => a.type === 'depository' && a.id !== item.mainAccountId)!;
    await api.items.setMainAccount({ itemId: item.id, accountId: other.id });
    // Choosing the account that already is the main one changes nothing and audits nothing.
    await api.items.setMainAccount({ itemId: item.id, accountId: other.id });
    await api.items.resetLogin({ itemId: item.id });
    const { linkToken } = await api.link.createToken({ itemId: item.id });
    expect(h.emu.emulator.link.completeLink({ linkToken, institutionId: 'ins_109508', username: 'user_good', password: 'pass_good' }).status).toBe('success');
    await api.items.completeUpdate({ itemId: item.id });
    await h.caller(support).support.items.remine({ itemId: item.id, reason: 'checking the audit' });

    const log = await h.caller(support).support.audit.list({ itemId: item.id });
    expect(log.map((e) => e.action)).toEqual(['item.remine', 'item.reconnect', 'item.set_main_account']);
    const [remine, reconnect, main] = log;
    expect(remine).toMatchObject({ actorKind: 'support', actorId: support.id, actorEmail: support.email, actorName: support.email, reason: 'checking the audit' });
    expect(reconnect).toMatchObject({ actorKind: 'user', actorId: user.id, actorEmail: user.email, subjectUserId: user.id, details: { statusBefore: 'ACTIVE' } });
    expect(main).toMatchObject({ actorKind: 'user', actorEmail: user.email, details: { accountId: other.id, previousAccountId: item.mainAccountId } });
  });
});
