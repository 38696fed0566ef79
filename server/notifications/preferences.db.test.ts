import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { createTestDb } from '../../test/support/db';
import { createItem } from '../../test/support/webhook-fixtures';
import { readUnsubscribeToken, unsubscribeToken } from './links';
import { getEmailPreferences, setItemAlertsEmail } from './preferences';

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());

describe('email preferences and one-click unsubscribe', () => {
  it('an unsubscribe token names its person, and only a token we signed for that purpose does', async () => {
    const token = await unsubscribeToken('secret-a', 'user-1');
    expect(await readUnsubscribeToken('secret-a', token)).toBe('user-1');
    expect(await readUnsubscribeToken('secret-b', token)).toBeNull();
    expect(await readUnsubscribeToken('secret-a', `${token.slice(0, -2)}xx`)).toBeNull();
    expect(await readUnsubscribeToken('secret-a', 'not-a-token')).toBeNull();
  });

  it('alerts are on by default, off after an unsubscribe, on again from the preferences page', async () => {
    const { userId } = await createItem(h.db);
    expect(await getEmailPreferences(h.db, userId)).toEqual({ itemAlertsEmail: true, unsubscribedAt: null });
    const at = new Date('2026-12-04T12:00:00Z');
    await setItemAlertsEmail(h.db, userId, false, at);
    expect(await getEmailPreferences(h.db, userId)).toEqual({ itemAlertsEmail: false, unsubscribedAt: at });
    await setItemAlertsEmail(h.db, userId, true);
    expect(await getEmailPreferences(h.db, userId)).toEqual({ itemAlertsEmail: true, unsubscribedAt: null });
  });
});
