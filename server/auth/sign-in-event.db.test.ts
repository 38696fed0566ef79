import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { createTestDb } from '../../test/support/db';
import type { AppEvent, SendEvents } from '../deps';
import { createLogger } from '../logger';
import { createAuth } from './auth';

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());

const log = createLogger({ level: 'silent' });
const authWith = (sendEvents: SendEvents) =>
  createAuth(h.db, { secret: 'x'.repeat(40), baseURL: 'http://127.0.0.1:3000', rateLimit: { enabled: false }, sendEvents, log });

describe('the sign-in hook', () => {
  it('sends user/signed-in with the user id on sign-up and on every sign-in', async () => {
    const sent: AppEvent[] = [];
    const auth = authWith(async (events) => void sent.push(...events));
    const up = await auth.api.signUpEmail({ body: { email: 'fresh@example.com', password: 'long-enough-pw', name: 'F' } });
    await auth.api.signInEmail({ body: { email: 'fresh@example.com', password: 'long-enough-pw' } });
    expect(sent).toEqual([
      { name: 'user/signed-in', data: { userId: up.user.id } },
      { name: 'user/signed-in', data: { userId: up.user.id } },
    ]);
  });

  it('lets the sign-in succeed when the event cannot be sent', async () => {
    const auth = authWith(async () => {
      throw new Error('Inngest unreachable');
    });
    await auth.api.signUpEmail({ body: { email: 'broken@example.com', password: 'long-enough-pw', name: 'B' } });
    const signedIn = await auth.api.signInEmail({ body: { email: 'broken@example.com', password: 'long-enough-pw' } });
    expect(signedIn.token).toEqual(expect.any(String));
  });

  it('does not hold a sign-in for longer than its timeout when the sender hangs', async () => {
    const auth = authWith(() => new Promise<void>(() => {}));
    const started = Date.now();
    const up = await auth.api.signUpEmail({ body: { email: 'slow@example.com', password: 'long-enough-pw', name: 'S' } });
    expect(up.token).toEqual(expect.any(String));
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('sends nothing for a refused password', async () => {
    const sent: AppEvent[] = [];
    const auth = authWith(async (events) => void sent.push(...events));
    await expect(auth.api.signInEmail({ body: { email: 'fresh@example.com', password: 'wrong-password' } })).rejects.toMatchObject({ statusCode: 401 });
    expect(sent).toEqual([]);
  });
});
