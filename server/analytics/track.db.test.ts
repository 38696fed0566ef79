import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { analyticsEvents } from '../../db/schema';
import { createTestDb } from '../../test/support/db';
import { closeSegmentClients } from './segment';
import { track } from './track';

let h: DbHandle;
let server: Server;
let endpoint = '';
const batches: Array<{ auth: string | undefined; path: string | undefined; body: { batch: Array<Record<string, unknown>> } }> = [];
let answer = 200;

beforeAll(async () => {
  h = await createTestDb();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      batches.push({ auth: req.headers.authorization, path: req.url, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeSegmentClients();
  await new Promise<void>((r) => server.close(() => r()));
  await h.close();
});

const errored = { event: 'Item Errored' as const, userId: 'user-1', properties: { itemId: 'item-1', errorCode: 'ITEM_LOGIN_REQUIRED' } };

describe('analytics', () => {
  it('writes an event to analytics_events when Segment is not configured, once per dedupe key', async () => {
    await track(h.db, { ...errored, dedupeKey: 'webhook:w1:Item Errored' }, { kind: 'table' });
    await track(h.db, { ...errored, dedupeKey: 'webhook:w1:Item Errored' }, { kind: 'table' });
    const rows = await h.db.select().from(analyticsEvents);
    expect(rows.map((r) => ({ event: r.event, userId: r.userId, properties: r.properties }))).toEqual([
      { event: 'Item Errored', userId: 'user-1', properties: { itemId: 'item-1', errorCode: 'ITEM_LOGIN_REQUIRED' } },
    ]);
  });

  it('sends the event to the configured Segment endpoint and resolves once the batch is accepted', async () => {
    const before = (await h.db.select().from(analyticsEvents)).length;
    await track(h.db, { ...errored, dedupeKey: 'webhook:w2:Item Errored' }, { kind: 'segment', segment: { writeKey: 'wk_test', endpoint } });
    expect(batches).toHaveLength(1);
    const [sentBatch] = batches;
    expect(sentBatch!.path).toBe('/v1/batch');
    expect(sentBatch!.auth).toBe(`Basic ${Buffer.from('wk_test:').toString('base64')}`);
    expect(sentBatch!.body.batch).toEqual([
      expect.objectContaining({ type: 'track', event: 'Item Errored', userId: 'user-1', properties: errored.properties, messageId: expect.any(String) }),
    ]);
    expect((await h.db.select().from(analyticsEvents)).length).toBe(before);
  });

  it('gives the same messageId to a repeat of the same event, so Segment dedupes it', async () => {
    batches.length = 0;
    const sink = { kind: 'segment' as const, segment: { writeKey: 'wk_test', endpoint } };
    await track(h.db, { ...errored, dedupeKey: 'webhook:w3:Item Errored' }, sink);
    await track(h.db, { ...errored, dedupeKey: 'webhook:w3:Item Errored' }, sink);
    const ids = batches.flatMap((b) => b.body.batch.map((m) => m.messageId));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('rejects when Segment refuses the batch, so a durable step retries', async () => {
    answer = 400;
    try {
      await expect(
        track(h.db, { ...errored, dedupeKey: 'webhook:w4:Item Errored' }, { kind: 'segment', segment: { writeKey: 'wk_refused', endpoint } }),
      ).rejects.toThrow();
    } finally {
      answer = 200;
    }
  });

  it('refuses a property that looks like a secret before anything leaves the process', async () => {
    batches.length = 0;
    await expect(track(h.db, { ...errored, properties: { access_token: 'access-sandbox-x' } }, { kind: 'table' })).rejects.toThrow(/secret/);
    expect(batches).toEqual([]);
  });
});
