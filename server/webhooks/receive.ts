import { appEvent, itemSyncRequested, plaidWebhookReceived } from '../events';
import { PROBLEM_CODES } from './handle/item-rules';
import { includes, SYNC_CODES } from './handle/payloads';
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { executePrepared } from '../../db/prepared';
import { rowsOf } from '../../db/rows';
import { plaidItems, plaidWebhooks } from '../../db/schema';
import type { SendEvents } from '../deps';
import type { Logger } from '../logger';
import { metrics } from '../metrics/registry';
import { type PlaidWebhookKey, verifyPlaidWebhook } from '../plaid/webhook-verify';
import { annotateSpan } from '../telemetry/spans';

/** ITEM webhooks that change an item's state: one in between makes a same-body ITEM webhook news, not a retry. */
const STATE_CODES = sql.join(['LOGIN_REPAIRED', ...PROBLEM_CODES].map((c) => sql`${c}`), sql`, `);

export const webhookEnvelope = z.looseObject({
  webhook_type: z.string().min(1).max(100),
  webhook_code: z.string().min(1).max(100),
  item_id: z.string().max(200).optional().nullable(),
});

export interface ReceiveResult {
  status: 200 | 400 | 401;
  body: { ok: boolean; id?: string; duplicate?: boolean; error?: string };
  /** Settles (never rejects) once an accepted webhook's hand-off was sent or left for the sweep: for whoever must wait for it (tests). */
  handedOff?: Promise<void>;
  /** For the metrics: what became of it, why it was refused, its TYPE.CODE once verified and parsed. */
  outcome: 'accepted' | 'duplicate' | 'retry' | 'unknown_item' | 'rejected';
  reason?: 'verification' | 'malformed';
  code?: string;
}

/**
 * Plaid webhook intake (receive, below), counted and timed in the metrics by outcome, reason and
 * webhook code (tributary_webhooks_received_total, tributary_webhook_receive_seconds).
 */
export async function receivePlaidWebhook(deps: ReceiveDeps, input: { rawBody: Uint8Array; headers: Headers }): Promise<ReceiveResult> {
  const started = performance.now();
  const result = await receive(deps, input);
  annotateSpan({ 'tributary.webhook.outcome': result.outcome, ...(result.reason ? { 'tributary.webhook.rejected_reason': result.reason } : {}), ...(result.body.id ? { 'tributary.webhook.id': result.body.id } : {}) });
  const m = metrics();
  m.webhooksReceived.inc({ outcome: result.outcome, reason: result.reason ?? 'none', code: result.code ?? 'unknown' });
  m.webhookReceiveSeconds.observe({ outcome: result.outcome }, (performance.now() - started) / 1000);
  return result;
}

type ReceiveDeps = { db: Db; getKey: (kid: string) => Promise<PlaidWebhookKey>; send: SendEvents; log: Logger };

/** Headers worth keeping with a webhook (never cookies or auth). */
const KEPT_HEADERS = ['content-type', 'user-agent', 'plaid-verification', 'x-forwarded-for'];

/**
 * Plaid webhook intake: verify, store every webhook (accepted or not), dedupe replays, hand
 * accepted ones to the durable functions. Never calls Plaid except for an uncached key.
 * An accepted webhook stays RECEIVED until its handler marks it PROCESSED (or IGNORED/FAILED);
 * the sweep re-sends RECEIVED rows that sat too long, which handling twice makes harmless.
 */
async function receive(
  deps: ReceiveDeps,
  input: { rawBody: Uint8Array; headers: Headers },
): Promise<ReceiveResult> {
  const { db, log } = deps;
  const signature = input.headers.get('plaid-verification');
  const rawText = Buffer.from(input.rawBody.buffer, input.rawBody.byteOffset, input.rawBody.byteLength).toString('utf8');
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = input.headers.get(name);
    if (value) headers[name] = value;
  }
  const verdict = await verifyPlaidWebhook({ rawBody: input.rawBody, signature, getKey: deps.getKey });

  let envelope: z.infer<typeof webhookEnvelope> | null = null;
  try {
    const parsed = webhookEnvelope.safeParse(JSON.parse(rawText));
    envelope = parsed.success ? parsed.data : null;
  } catch {
    envelope = null;
  }
  // Only the envelope's type, code and item id: the body may hold anything Plaid sends.
  if (envelope) annotateSpan({ 'plaid.webhook.type': envelope.webhook_type, 'plaid.webhook.code': envelope.webhook_code, ...(envelope.item_id ? { 'plaid.item_id': envelope.item_id } : {}) });
  const base = {
    source: 'plaid' as const,
    rawBody: rawText,
    headers,
    webhookType: envelope?.webhook_type ?? null,
    webhookCode: envelope?.webhook_code ?? null,
    plaidItemId: envelope?.item_id ?? null,
  };

  if (!verdict.ok) {
    const [row] = await db
      .insert(plaidWebhooks)
      .values({ ...base, verified: false, verificationError: verdict.reason, state: 'REJECTED' })
      .returning({ id: plaidWebhooks.id });
    log.warn({ webhook_id: row!.id, reason: verdict.reason }, 'Rejected an unverifiable Plaid webhook');
    return { status: 401, body: { ok: false, error: 'verification failed' }, outcome: 'rejected', reason: 'verification' };
  }
  if (!envelope) {
    await db.insert(plaidWebhooks).values({ ...base, verified: true, state: 'REJECTED', error: 'malformed JSON body' });
    return { status: 400, body: { ok: false, error: 'malformed JSON body' }, outcome: 'rejected', reason: 'malformed' };
  }

  // A replay carries the very same signed token; Plaid's own retries are re-signed but carry the
  // same body, so they are counted on the first delivery's row instead of stored again.
  const dedupeKey = createHash('sha256').update(signature!).digest('hex');
  const contentHash = createHash('sha256').update(input.rawBody).digest('hex');
  const code = `${envelope.webhook_type}.${envelope.webhook_code}`;
  const stored = await storeAccepted(db, { ...base, dedupeKey, contentHash });
  if (!stored) return { status: 200, body: { ok: true, duplicate: true }, outcome: 'duplicate', code };
  if (stored.retry) {
    // A repeat of a sync webhook may be new data with an identical body (Plaid's bodies carry no
    // time): ask for a sync again — syncing is idempotent and debounced per item. Nothing else repeats.
    const handedOff = stored.itemId && includes(SYNC_CODES, envelope.webhook_code)
      ? deps.send([appEvent(itemSyncRequested, { itemId: stored.itemId, trigger: 'webhook-repeat' })]).catch((err: unknown) => log.warn({ webhook_id: stored.id, err }, 'Could not request a sync for a repeated webhook'))
      : undefined;
    return { status: 200, body: { ok: true, id: stored.id, duplicate: true }, handedOff, outcome: 'retry', code };
  }

  // Plain fields, not a child logger: this runs for every webhook and rarely logs.
  const ids = { webhook_id: stored.id, item_id: stored.itemId, plaid_item_id: envelope.item_id };
  if (stored.itemId) annotateSpan({ 'tributary.item_id': stored.itemId });
  if (!stored.itemId) {
    log.warn({ ...ids, code }, 'Webhook for an unknown item stored and flagged');
    return { status: 200, body: { ok: true, id: stored.id }, outcome: 'unknown_item', code };
  }
  // Handed on without holding the answer: it is stored RECEIVED, so if this send fails or the
  // process dies first, the sweep re-sends it. Plaid gets its 200 either way.
  const leftForSweep = (err: unknown) => log.error({ ...ids, err }, 'Could not enqueue webhook; left for the sweep');
  let handedOff: Promise<void>;
  try {
    handedOff = deps.send([appEvent(plaidWebhookReceived, { webhookId: stored.id })]).catch(leftForSweep);
  } catch (err) {
    leftForSweep(err);
    handedOff = Promise.resolve();
  }
  return { status: 200, body: { ok: true, id: stored.id }, handedOff, outcome: 'accepted', code };
}

/**
 * One round trip: find the item, store the webhook (or nothing, for a replay; or count a retry
 * on the first delivery's row) and touch the item's last-webhook time. An unknown item is stored
 * as IGNORED and flagged. Prepared: it runs for every webhook. The last-webhook time is kept to
 * the second: every write of the item's row holds its lock to commit, so a burst of webhooks for
 * one item, each writing it, would queue behind one another; within the second only the first writes.
 *
 * A retry is the same body for the same Plaid item within Plaid's retry span (24 hours). Plaid
 * sends several webhooks at once (DEFAULT_UPDATE, SYNC_UPDATES_AVAILABLE, ...) and retries each on
 * its own, so other webhooks in between do not matter — except, for an ITEM webhook, another one
 * that changes the item's state: "ERROR, LOGIN_REPAIRED, ERROR" is three webhooks, not one ERROR
 * delivered twice. The retry's hand-off already happened with the first delivery (or the sweep
 * makes it), so it is acted on once.
 */
async function storeAccepted(
  db: Db,
  w: {
    rawBody: string; headers: Record<string, string>; webhookType: string | null; webhookCode: string | null;
    plaidItemId: string | null; dedupeKey: string; contentHash: string;
  },
): Promise<{ id: string; itemId: string | null; retry: boolean } | null> {
  const rows = await executePrepared(db, 'store_plaid_webhook_v2', sql`
    with item as (select id from ${plaidItems} where plaid_item_id = ${w.plaidItemId}),
    first_delivery as (
      select f.id from ${plaidWebhooks} f
      -- A replay (the same signed delivery again) is no retry: the insert below drops it.
      where not exists (select 1 from ${plaidWebhooks} r where r.dedupe_key = ${w.dedupeKey})
        and f.plaid_item_id = ${w.plaidItemId} and f.content_hash = ${w.contentHash} and f.verified
        and f.received_at > now() - interval '24 hours'
        and (f.webhook_type is distinct from 'ITEM' or not exists (
          select 1 from ${plaidWebhooks} l
          where l.plaid_item_id = f.plaid_item_id and l.received_at > f.received_at and l.verified
            and l.webhook_type = 'ITEM' and l.webhook_code in (${STATE_CODES}) and l.content_hash <> f.content_hash
        ))
      order by f.received_at desc limit 1
    ),
    counted as (
      update ${plaidWebhooks} set delivery_count = delivery_count + 1, last_delivered_at = now()
      where id = (select id from first_delivery)
      returning id, item_id
    ),
    stored as (
      insert into ${plaidWebhooks}
        (source, item_id, plaid_item_id, webhook_type, webhook_code, raw_body, headers, verified, dedupe_key, content_hash, unknown_item, state, error)
      select 'plaid', (select id from item), ${w.plaidItemId}, ${w.webhookType}, ${w.webhookCode}, ${w.rawBody},
        ${JSON.stringify(w.headers)}::jsonb, true, ${w.dedupeKey}, ${w.contentHash}, not exists (select 1 from item),
        case when exists (select 1 from item) then 'RECEIVED' else 'IGNORED' end,
        case when exists (select 1 from item) then null else 'no item with this item_id' end
      where not exists (select 1 from first_delivery)
      on conflict (dedupe_key) do nothing
      returning id, item_id
    ),
    touched as (
      update ${plaidItems} set last_webhook_at = now()
      where id = coalesce((select item_id from stored), (select item_id from counted))
        and (last_webhook_at is null or last_webhook_at < now() - interval '1 second')
    )
    select id, item_id, false as retry from stored
    union all
    select id, item_id, true as retry from counted`);
  const [row] = rowsOf<{ id: string; item_id: string | null; retry: boolean }>(rows);
  return row ? { id: row.id, itemId: row.item_id, retry: row.retry } : null;
}
