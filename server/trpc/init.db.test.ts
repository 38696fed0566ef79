import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DbHandle } from '../../db/client';
import { createTestDb } from '../../test/support/db';
import { AppError } from '../errors';
import { createInnerContext, type SessionUser } from './context';
import { publicProcedure, router, supportProcedure, userProcedure } from './init';
import { createCaller } from './routers/_app';

const log = pino({ level: 'silent' });
const alice: SessionUser = { id: 'u-alice', email: 'alice@example.com', role: 'user', status: 'PENDING' };
const sam: SessionUser = { id: 'u-sam', email: 'sam@example.com', role: 'support', status: 'ACTIVE' };

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());

const ctx = (user: SessionUser | null) => createInnerContext({ db: h.db, session: user ? { user } : null, log });

describe('me.get', () => {
  it('returns the signed-in user', async () => {
    expect(await createCaller(ctx(alice)).me.get()).toEqual({
      id: 'u-alice',
      email: 'alice@example.com',
      role: 'user',
      status: 'PENDING',
    });
  });

  it('refuses anonymous callers with UNAUTHORIZED', async () => {
    await expect(createCaller(ctx(null)).me.get()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

// A throwaway router on the real procedure builders and error map.
const probe = router({
  echo: publicProcedure.input(z.object({ amount: z.number().positive(), note: z.string().max(5) })).mutation(({ input }) => input),
  conflict: userProcedure.mutation(() => {
    throw new AppError('CONFLICT', 'Already linked', { displayMessage: 'This bank is already connected.' });
  }),
  loginRequired: userProcedure.query(() => {
    throw new AppError('ITEM_LOGIN_REQUIRED', 'Login required', { plaidErrorCode: 'ITEM_LOGIN_REQUIRED' });
  }),
  staff: supportProcedure.query(() => 'ok'),
  broken: publicProcedure.query(() => {
    throw new Error('Failed query: select ... params: ["access-sandbox-should-not-show"]');
  }),
});

async function call(path: string, body: unknown, user: SessionUser | null) {
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(`http://127.0.0.1/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ json: body }) }),
    router: probe,
    createContext: () => ctx(user),
  });
  return { status: res.status, body: (await res.json()) as { error: { json: { data: Record<string, unknown>; message: string } } } };
}

describe('procedure builders and the error map', () => {
  it('answers malformed input with BAD_REQUEST and flattened zod issues', async () => {
    const { status, body } = await call('echo', { amount: -1, note: 'too long' }, null);
    expect(status).toBe(400);
    expect(body.error.json.data.code).toBe('BAD_REQUEST');
    expect(body.error.json.data.zodIssues).toEqual([
      { path: 'amount', message: expect.any(String) },
      { path: 'note', message: expect.any(String) },
    ]);
  });

  it('maps an AppError to its tRPC code and exposes the app code and display message', async () => {
    const { status, body } = await call('conflict', undefined, alice);
    expect(status).toBe(409);
    expect(body.error.json.data).toMatchObject({ code: 'CONFLICT', appCode: 'CONFLICT', displayMessage: 'This bank is already connected.' });
  });

  it('types ITEM_LOGIN_REQUIRED so the UI can open update mode', async () => {
    const caller = probe.createCaller(ctx(alice));
    const error = await caller.loginRequired().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('PRECONDITION_FAILED');
    expect(((error as TRPCError).cause as AppError).code).toBe('ITEM_LOGIN_REQUIRED');
  });

  it('tells the browser nothing of an unexpected failure\'s internals', async () => {
    const res = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: new Request('http://127.0.0.1/api/trpc/broken', { method: 'GET' }),
      router: probe,
      createContext: () => ctx(null),
    });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(text).toContain('Something went wrong on our side');
    expect(text).not.toContain('access-sandbox-should-not-show');
    expect(text).not.toContain('Failed query');
  });

  it('lets only support staff through the support builder', async () => {
    await expect(probe.createCaller(ctx(alice)).staff()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(probe.createCaller(ctx(null)).staff()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await probe.createCaller(ctx(sam)).staff()).toBe('ok');
  });
});
