import { eq } from 'drizzle-orm';
import { InngestTestEngine } from '@inngest/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { institutions, linkEvents } from '../../db/schema';
import { createPollInstitutions } from '../../inngest/functions/poll-institutions';
import { toyClient } from '@tributary/inngest-embedded/testing';
import { quietLog } from '../../test/support/quiet-log';
import { createHarness, type Harness, silentLog } from '../../test/support/harness';
import { testJobContext } from '../../test/support/job-context';
import { createItem } from '../../test/support/webhook-fixtures';
import { institutionsInUse, refreshCataloguePage, refreshInstitutionsInUse } from './refresh-institutions';

let h: Harness;
const context = () => testJobContext({ db: h.db, deps: h.deps, log: quietLog });
const stored = async (id: string) => (await h.db.select().from(institutions).where(eq(institutions.id, id)))[0];

beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('poll-institutions', () => {
  it('walks the catalogue page by page until Plaid has no more', async () => {
    const offsets: Array<number | null> = [0];
    for (let next: number | null = 0; next !== null; ) {
      next = (await refreshCataloguePage(h.db, h.deps, next, silentLog, 4)).nextOffset;
      offsets.push(next);
    }
    expect(offsets).toEqual([0, 4, 8, null]);
    const rows = await h.db.select().from(institutions);
    expect(rows.length).toBe(9);
    // The catalogue carries no status: health stays unknown until get_by_id reports it.
    expect(rows.every((r) => r.health === 'UNKNOWN' && r.logo && r.primaryColor && r.products.length > 0)).toBe(true);
  });

  it('stores health for the institutions in use (Degraded and Down banks), with logo, colour, url and products', async () => {
    const item = await createItem(h.db, { institutionId: 'ins_132363' });
    await createItem(h.db, { userId: item.userId, institutionId: 'ins_132361' });
    await createItem(h.db, { userId: item.userId, institutionId: 'ins_109508' });
    await createItem(h.db, { userId: item.userId, institutionId: 'ins_gone_from_plaid' });
    const fn = createPollInstitutions(toyClient('inst'), context, '0 */6 * * *');
    const { result } = await new InngestTestEngine({ function: fn }).execute({ events: [{ name: 'institutions/poll.requested', data: {} }] });
    expect(result).toEqual({ cataloguePages: 1, catalogueStored: 9, refreshed: 3, unknown: ['ins_gone_from_plaid'] });
    expect(await stored('ins_132363')).toMatchObject({ health: 'DEGRADED', name: expect.stringContaining('Degraded'), logo: expect.any(String), primaryColor: '#f9a825', url: 'https://www.plaid.com' });
    expect((await stored('ins_132363'))!.products).toContain('transactions');
    expect(await stored('ins_132361')).toMatchObject({ health: 'DOWN', status: expect.objectContaining({ item_logins: expect.objectContaining({ status: 'DOWN' }) }) });
    expect(await stored('ins_109508')).toMatchObject({ health: 'HEALTHY' });
    expect(await stored('ins_109509')).toMatchObject({ health: 'UNKNOWN' });
  });

  it('also checks banks people chose in Link lately (a bank that is down never becomes an item, yet support must see it so)', async () => {
    const item = await createItem(h.db, { institutionId: 'ins_109508' });
    expect(await institutionsInUse(h.db)).not.toContain('ins_109510');
    await h.db.insert(linkEvents).values([
      { userId: item.userId, kind: 'exit', eventName: 'EXIT', institutionId: 'ins_109510', errorCode: 'INSTITUTION_DOWN', metadata: {} },
      { userId: item.userId, kind: 'event', eventName: 'SELECT_INSTITUTION', institutionId: 'ins_109512', metadata: {}, createdAt: new Date(Date.now() - 40 * 86_400_000) },
    ]);
    const watched = await institutionsInUse(h.db);
    expect(watched).toContain('ins_109510');
    expect(watched).not.toContain('ins_109512');
    expect(await stored('ins_109510')).toMatchObject({ health: 'UNKNOWN' });
    await refreshInstitutionsInUse(h.db, h.deps, silentLog);
    expect(await stored('ins_109510')).toMatchObject({ health: 'HEALTHY', status: expect.objectContaining({ item_logins: expect.objectContaining({ status: 'HEALTHY' }) }) });
  });

  it('a later catalogue pass keeps the health and logo that get_by_id stored', async () => {
    const before = await stored('ins_132361');
    await refreshCataloguePage(h.db, h.deps, 0, silentLog);
    expect(await stored('ins_132361')).toMatchObject({ health: 'DOWN', logo: before!.logo, status: before!.status });
  });
});
