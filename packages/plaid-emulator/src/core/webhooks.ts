import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Ctx } from './context';
import { currentSigningKey } from './signing-keys';
import type { ItemRecord, WebhookDelivery } from './state';

/**
 * Webhook sender. Sends like Plaid: POST, body `JSON.stringify(payload, null, 2)`, header
 * `Plaid-Verification` = ES256 JWT whose `request_body_sha256` is the hash of those exact bytes.
 * A non-2xx or a slow answer is retried after 30 s, then ×4 each time (times `webhookTimeScale`),
 * until the 24 h window Plaid uses is spent.
 */
export type WebhookPayload = { webhook_type: string; webhook_code: string } & Record<string, unknown>;

const FIRST_RETRY_MS = 30_000;
const MAX_WINDOW_MS = 24 * 3600_000;
const MAX_DELIVERIES_KEPT = 1000;

export function sendWebhook(ctx: Ctx, item: ItemRecord, payload: WebhookPayload, url = item.webhook): WebhookDelivery | null {
  const iso = new Date(ctx.nowMs()).toISOString();
  item.lastWebhook = { sentAt: iso, code: payload.webhook_code };
  if (!url) return null;
  const full = { environment: 'sandbox', ...payload, item_id: item.itemId };
  const delivery: WebhookDelivery = {
    id: randomUUID(),
    itemId: item.itemId,
    url,
    webhookType: payload.webhook_type,
    webhookCode: payload.webhook_code,
    body: JSON.stringify(full, null, 2),
    state: 'pending',
    attempts: [],
    nextAttemptAt: iso,
  };
  ctx.state.deliveries.push(delivery);
  if (ctx.state.deliveries.length > MAX_DELIVERIES_KEPT) ctx.state.deliveries.splice(0, ctx.state.deliveries.length - MAX_DELIVERIES_KEPT);
  ctx.log('webhook queued', { item_id: item.itemId, webhook_code: payload.webhook_code });
  ctx.changed();
  void ctx.track(attempt(ctx, delivery));
  return delivery;
}

async function sign(ctx: Ctx, body: string): Promise<string> {
  const { kid, key } = currentSigningKey(ctx);
  const request_body_sha256 = createHash('sha256').update(body, 'utf8').digest('hex');
  return new SignJWT({ request_body_sha256 })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuedAt(Math.floor(ctx.nowMs() / 1000))
    .sign(key);
}

async function attempt(ctx: Ctx, d: WebhookDelivery): Promise<void> {
  if (ctx.closed) return;
  const started = Date.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const jwt = await sign(ctx, d.body);
    const res = await fetch(d.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Plaid-Verification': jwt, 'User-Agent': 'Plaid Verifier' },
      body: d.body,
      signal: AbortSignal.any([AbortSignal.timeout(ctx.opts.webhookTimeoutMs), ctx.abort.signal]),
    });
    status = res.status;
    await res.body?.cancel().catch(() => {});
    if (status < 200 || status > 299) error = `HTTP ${status}`;
  } catch (e) {
    error = e instanceof Error ? (e.name === 'TimeoutError' ? `no answer within ${ctx.opts.webhookTimeoutMs} ms` : e.message) : String(e);
  }
  if (ctx.closed) return;
  d.attempts.push({ at: new Date(ctx.nowMs()).toISOString(), status, error, durationMs: Date.now() - started });
  if (!error) {
    d.state = 'delivered';
    d.nextAttemptAt = null;
  } else {
    const delay = FIRST_RETRY_MS * 4 ** (d.attempts.length - 1);
    const spent = d.attempts.slice(1).reduce((s, _a, i) => s + FIRST_RETRY_MS * 4 ** i, 0);
    if (spent + delay > MAX_WINDOW_MS) {
      d.state = 'failed';
      d.nextAttemptAt = null;
    } else {
      const scaled = delay * ctx.opts.webhookTimeScale;
      d.nextAttemptAt = new Date(ctx.nowMs() + scaled).toISOString();
      ctx.schedule(scaled, () => void ctx.track(attempt(ctx, d)));
    }
  }
  ctx.log('webhook attempt', { item_id: d.itemId, webhook_code: d.webhookCode, status, error });
  ctx.changed();
}

/** After a restart, resume deliveries that were still pending. */
export function resumeDeliveries(ctx: Ctx): void {
  for (const d of ctx.state.deliveries) {
    if (d.state !== 'pending') continue;
    const wait = d.nextAttemptAt ? Math.max(0, Date.parse(d.nextAttemptAt) - ctx.nowMs()) : 0;
    ctx.schedule(wait, () => void ctx.track(attempt(ctx, d)));
  }
}

/** Resolves once no delivery attempt is in flight (scheduled retries are not waited for). */
export async function settleWebhooks(ctx: Ctx): Promise<void> {
  while (ctx.inflight.size > 0) await Promise.allSettled([...ctx.inflight]);
}
