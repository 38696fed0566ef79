import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/rows';
import { analyticsEvents, plaidAccounts, plaidItems } from '../../db/schema';
import { createHarness, type Harness } from '../../test/support/harness';
import { closeSegmentClients } from '../analytics/segment';
import { createKeyring, decrypt } from '../crypto';
import { setEnvForTests } from '../../test/support/env';
import { redactPaths } from '../logger';
import { plaidClient, startTestEmulator, waitFor } from '@tributary/plaid-emulator/testing';
import { createKeyCache, type PlaidWebhookKey } from '../plaid/webhook-verify';
import { startKinesalite, type LocalKinesis } from '../streams/kinesalite';
import { createKinesisClient, localCredentials } from '../streams/kinesis-client';
import { publishOutbox } from '../streams/publisher';
import { readStream, testStreams } from '../../test/support/streams';
import { syncItemTransactions } from '../sync/sync-item';
import { webhookHandler } from '../../test/support/webhook-handling';
import { analyticsSinkFromEnv } from '../analytics/track';
import { receivePlaidWebhook } from '../webhooks/receive';
import { describeLeaks, type KnownSecret, scanAll, scanText } from '../../test/support/secret-scan';

/**
 * The leak scan's second half (the first, tRPC responses, is server/trpc/routers/leak-scan):
 * a whole journey — link, webhooks, syncs, a broken and a repaired login — then every stream
 * record published to Kinesis, every analytics event (table and Segment), every log line and every
 * database row is searched for the access token, the public tokens, the Plaid secret, the
 * encryption key, the Segment write key and the full account and routing numbers.
 */

// Credentials the emulator insists on, so the secret scanned for is the one really in use.
const PLAID_CLIENT_ID = 'leak-scan-client';
const PLAID_SECRET = `leak-scan-secret-${randomBytes(12).toString('hex')}`;
const SEGMENT_WRITE_KEY = `wk-leak-scan-${randomBytes(12).toString('hex')}`;
const ENCRYPTION_KEY = randomBytes(32);

const logLines: string[] = [];
const log = pino(
  { level: 'trace', redact: { paths: redactPaths, censor: '[redacted]' } },
  new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);

/** What a Segment-compatible collector received: each POST's raw body. */
const segmentBodies: string[] = [];
let segment: Server;
let h: Harness;
let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let kinesalite: LocalKinesis;
let kinesis: KinesisClient;

beforeAll(async () => {
  segment = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      segmentBodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => segment.listen(0, '127.0.0.1', () => r()));
  // analyticsSinkFromEnv() reads these: with a write key set, events go to Segment.
  setEnvForTests({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEGMENT_WRITE_KEY,
    SEGMENT_ENDPOINT: `http://127.0.0.1:${(segment.address() as AddressInfo).port}`,
  });
  h = await createHarness({}, log);
  emu = await startTestEmulator({ rateLimits: false, clientId: PLAID_CLIENT_ID, secret: PLAID_SECRET });
  h.deps.plaid = plaidClient(emu.url, { 'PLAID-CLIENT-ID': PLAID_CLIENT_ID, 'PLAID-SECRET': PLAID_SECRET });
  h.deps.keyring = createKeyring([{ id: 'leak', key: ENCRYPTION_KEY }]);
  kinesalite = await startKinesalite({ streams: Object.values(testStreams), shardCount: 2 });
  kinesis = createKinesisClient({ endpoint: kinesalite.endpoint, credentials: localCredentials, maxAttempts: 1 });
});
afterAll(async () => {
  kinesis?.destroy();
  await kinesalite?.close();
  await emu?.close();
  await h?.close();
  await closeSegmentClients();
  await new Promise<void>((r) => (segment ? segment.close(() => r()) : r()));
});

describe('leak scan: streams, analytics, logs, database', () => {
  it('the scan itself finds a planted secret, exact or by shape', () => {
    const secret: KnownSecret = { label: 'an account number', value: '11112222330000' };
    expect(scanText('plant', '{"n":"11112222330000"}', [secret]).map((l) => l.label)).toEqual(['an account number']);
    expect(scanText('plant', 'x access-sandbox-0f3e5b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b x', []).map((l) => l.label)).toEqual(['an access token (shape)']);
    expect(scanText('plant', 'public-production-0f3e5b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b', []).map((l) => l.label)).toEqual(['a public token (shape)']);
    expect(() => scanText('plant', 'x', [{ label: 'a mask', value: '0000' }])).toThrow(/too short/);
  });

  it('no stream record, analytics event, log line or database row carries a secret after the whole journey', async () => {
    const user = await h.createUser();
    const api = h.caller(user);
    const getKey = createKeyCache(async (kid) => (await h.deps.plaid.webhookVerificationKeyGet({ key_id: kid })).data.key as unknown as PlaidWebhookKey);
    let delivered = 0;
    /** Every webhook the emulator has sent so far, through the real intake and handler. */
    const handleWebhooks = async (sink: 'table' | 'env') => {
      const ids: string[] = [];
      for (const w of h.sink.received.slice(delivered)) {
        const result = await receivePlaidWebhook(
          { db: h.db, getKey, send: h.deps.send, log },
          { rawBody: Buffer.from(w.body), headers: new Headers({ 'plaid-verification': String(w.headers['plaid-verification']), 'content-type': 'application/json' }) },
        );
        expect(result.status, w.body).toBe(200);
        if (result.body.id) ids.push(result.body.id);
      }
      delivered = h.sink.received.length;
      const toTable = webhookHandler({ db: () => h.db, log, analytics: { kind: 'table' } });
      for (const id of ids) await toTable.handle(id);
      // The same handled webhooks again with the sink the process would choose: Segment.
      if (sink === 'env') {
        const toSegment = webhookHandler({ db: () => h.db, log, analytics: analyticsSinkFromEnv() });
        for (const id of ids) await toSegment.handle(id);
      }
    };
    const waitForCode = (code: string) => waitFor(() => h.sink.received.slice(delivered).some((r) => r.json.webhook_code === code), 10_000);

    // Link as a person would (a user whose bank keeps producing changes).
    const { linkToken } = await api.link.createToken({ mode: 'new' });
    const done = emu.emulator.link.completeLink({ linkToken, institutionId: 'ins_109508', username: 'user_transactions_dynamic', password: 'pass_good' });
    if (done.status !== 'success') throw new Error(`Link did not succeed: ${JSON.stringify(done)}`);
    const { item } = await api.items.link({
      publicToken: done.publicToken,
      metadata: { institution: done.institution, accounts: done.accounts, link_session_id: done.linkSessionId },
    });
    const [row] = await h.db.select().from(plaidItems).where(eq(plaidItems.id, item.id));
    const plaidItem = emu.emulator.state.items[row!.plaidItemId]!;

    // Webhooks, a sync, more changes at the bank, another sync.
    await waitForCode('HISTORICAL_UPDATE');
    await handleWebhooks('table');
    const sync = () => syncItemTransactions(h.db, h.deps, { itemId: item.id, trigger: 'leak-scan', pageSize: 25 }, log);
    expect(await sync()).toMatchObject({ status: 'SUCCEEDED' });
    emu.emulator.controls.refresh(row!.plaidItemId);
    expect(await sync()).toMatchObject({ status: 'SUCCEEDED' });

    // The bank asks for a new login (ITEM ERROR webhook → "Item Errored", to the table and to
    // Segment), update mode in the app repairs it ("Item Repaired", to Segment as the process's
    // settings choose; Plaid sends no LOGIN_REPAIRED for a repair made through the app).
    await api.items.resetLogin({ itemId: item.id });
    await waitForCode('ERROR');
    await handleWebhooks('env');
    const update = await api.link.createToken({ itemId: item.id, mode: 'update' });
    const repaired = emu.emulator.link.completeLink({ linkToken: update.linkToken, institutionId: 'ins_109508', username: 'user_good', password: 'pass_good' });
    if (repaired.status !== 'success') throw new Error(`Update mode did not succeed: ${JSON.stringify(repaired)}`);
    expect(await api.items.completeUpdate({ itemId: item.id })).toMatchObject({ repaired: true });
    expect(await sync()).toMatchObject({ status: 'SUCCEEDED' });

    const published = await publishOutbox(h.db, kinesis, { streams: testStreams, log, retryBaseMs: 1 });
    expect(published).toMatchObject({ ok: true, remaining: 0 });

    // The secrets, taken from the emulator (the truth), checked against what the app holds.
    const accessToken = plaidItem.accessToken;
    expect(decrypt(h.deps.keyring, row!.accessTokenEnc)).toBe(accessToken);
    const numbered = plaidItem.accounts.filter((a) => a.numbers);
    expect(numbered.length).toBeGreaterThan(0);
    const secrets: KnownSecret[] = [
      { label: 'the access token', value: accessToken },
      { label: 'the public token', value: done.publicToken },
      { label: 'the update-mode public token', value: repaired.publicToken },
      { label: 'the Plaid secret', value: PLAID_SECRET },
      { label: 'the encryption key (base64)', value: ENCRYPTION_KEY.toString('base64') },
      { label: 'the encryption key (hex)', value: ENCRYPTION_KEY.toString('hex') },
      { label: 'the Segment write key', value: SEGMENT_WRITE_KEY },
      ...numbered.flatMap((a) => [
        { label: `the account number of ${a.account.name}`, value: a.numbers!.account },
        { label: `the routing number of ${a.account.name}`, value: a.numbers!.routing },
        { label: `the wire routing number of ${a.account.name}`, value: a.numbers!.wireRouting },
      ]),
    ];

    // Stream records: all four streams, every record as Kinesis hands it to a consumer.
    const records: Array<{ where: string; text: string }> = [];
    const perStream: Record<string, number> = {};
    for (const [kind, name] of Object.entries(testStreams)) {
      const read = await readStream(kinesis, name);
      perStream[kind] = read.length;
      for (const r of read) records.push({ where: `${kind} record ${r.sequenceNumber} (key ${r.partitionKey})`, text: `${r.partitionKey}\n${JSON.stringify(r.data)}` });
    }
    for (const kind of Object.keys(testStreams)) expect(perStream[kind], `${kind} records`).toBeGreaterThan(0);
    // The records are about this item's accounts: the scan looks where the numbers would be.
    const recordText = records.map((r) => r.text).join('\n');
    for (const a of numbered) expect(recordText).toContain(a.account.account_id);
    expect(describeLeaks(scanAll(records, secrets))).toBe('no leaks');

    // Analytics: the table and what Segment received, both about this item.
    const events = await h.db.select().from(analyticsEvents).where(eq(analyticsEvents.userId, user.id));
    expect(events.map((e) => e.event).sort()).toEqual(['Item Errored']);
    for (const e of events) expect(e.properties).toMatchObject({ itemId: item.id, institutionId: 'ins_109508' });
    const sentToSegment = segmentBodies.flatMap((b) => (JSON.parse(b) as { batch: Array<{ event: string; properties: Record<string, unknown> }> }).batch);
    expect(sentToSegment.map((m) => m.event).sort()).toEqual(['Item Errored', 'Item Repaired']);
    for (const m of sentToSegment) expect(m.properties).toMatchObject({ itemId: item.id });
    // A batch's envelope carries the write key: Segment's own credential, addressed to Segment.
    // The events in it must carry nothing.
    const analytics = [
      ...events.map((e) => ({ where: `analytics_events ${e.id} (${e.event})`, text: JSON.stringify(e) })),
      ...sentToSegment.map((m, i) => ({ where: `Segment event ${i + 1} (${m.event})`, text: JSON.stringify(m) })),
    ];
    expect(describeLeaks(scanAll(analytics, secrets))).toBe('no leaks');

    // Log lines of link, webhooks, syncs and publishing.
    expect(logLines.length).toBeGreaterThan(10);
    expect(describeLeaks(scanAll(logLines.map((text, i) => ({ where: `log line ${i + 1}`, text })), secrets))).toBe('no leaks');

    // The database: every row of every table, as text. Clear text nowhere; the encrypted columns
    // decrypt to the truth (so the scan looked at where they are stored).
    const tables = rowsOf<{ table_name: string }>(
      await h.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`),
    ).map((t) => t.table_name);
    expect(tables).toEqual(expect.arrayContaining(['plaid_items', 'plaid_accounts', 'plaid_webhooks', 'stream_outbox', 'analytics_events', 'plaid_api_calls']));
    const dbRows: Array<{ where: string; text: string }> = [];
    for (const table of tables) {
      const found = rowsOf<{ row: string }>(await h.db.execute(sql.raw(`select t::text as row from "${table}" t`)));
      found.forEach((r, i) => dbRows.push({ where: `${table} row ${i + 1}`, text: r.row }));
    }
    expect(describeLeaks(scanAll(dbRows, secrets))).toBe('no leaks');
    const accounts = await h.db.select().from(plaidAccounts).where(eq(plaidAccounts.itemId, item.id));
    const stored = new Map(accounts.map((a) => [a.id, a]));
    for (const a of numbered) {
      const s = stored.get(a.account.account_id)!;
      expect(decrypt(h.deps.keyring, s.accountNumberEnc!)).toBe(a.numbers!.account);
      expect(decrypt(h.deps.keyring, s.routingNumberEnc!)).toBe(a.numbers!.routing);
    }

    console.log(
      `leak scan: ${records.length} stream records (${Object.entries(perStream).map(([k, n]) => `${k} ${n}`).join(', ')}), ` +
        `${events.length} analytics rows + ${sentToSegment.length} Segment events, ${logLines.length} log lines, ` +
        `${dbRows.length} rows in ${tables.length} tables; ${secrets.length} secrets + 3 shapes: no leaks`,
    );
  });
});
