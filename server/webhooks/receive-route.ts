import type { Logger } from '../logger';
import { metrics } from '../metrics/registry';
import { inSpan, SpanKind } from '../telemetry/spans';
import { BodyLimitError, readBodyWithLimits } from './read-body';
import { receivePlaidWebhook } from './receive';
import { DEFAULT_KEY_LOOKUP_LIMITS, guardKeyLookups, type KeyLookupLimits } from './receive-key-lookups';

type ReceiveDeps = Parameters<typeof receivePlaidWebhook>[0];

export interface WebhookRouteLimits {
  /** Plaid's webhooks are a few KB. */
  maxBodyBytes: number;
  /** The whole body must arrive within this; Plaid sends it at once. */
  bodyTimeoutMs: number;
  /** Bodies read at the same time; past it, the longest-running read is cut (slow-loris cap). */
  maxBodiesInFlight: number;
  /** Lookups at Plaid of signing key ids never seen before (forged JWTs carry any kid). */
  keyLookups: KeyLookupLimits;
}

export const DEFAULT_WEBHOOK_LIMITS: WebhookRouteLimits = {
  maxBodyBytes: 256 * 1024,
  bodyTimeoutMs: 5_000,
  maxBodiesInFlight: 256,
  keyLookups: DEFAULT_KEY_LOOKUP_LIMITS,
};

/**
 * Bodies being read right now, oldest first. When all slots are taken, a new request is never
 * refused: the read that has run longest is cut instead. A real webhook's body is read in
 * microseconds, so the one holding a slot longest is a trickling attacker, not Plaid.
 */
export class BodySlots {
  private readonly reads = new Set<AbortController>();
  /** Reads cut to make room since start (for figures and tests). */
  cut = 0;

  constructor(readonly capacity: number) {}

  get inFlight(): number {
    return this.reads.size;
  }

  enter(): { signal: AbortSignal; leave: () => void } {
    if (this.reads.size >= this.capacity) {
      const oldest = this.reads.values().next().value!;
      this.reads.delete(oldest);
      this.cut++;
      oldest.abort();
    }
    const read = new AbortController();
    this.reads.add(read);
    return { signal: read.signal, leave: () => void this.reads.delete(read) };
  }
}

/**
 * POST /api/webhooks/plaid: read the body within its limits, then verify, store and hand on
 * (receivePlaidWebhook). A body that is too big, too slow or cut for room is answered 413 / 408 /
 * 503 with `Connection: close`, so the server drops the connection instead of keeping it for
 * another request; lookups of unknown signing keys at Plaid are rationed (receive-key-lookups).
 * `deps` is resolved per request (the app's singletons, or a test's).
 */
export function createPlaidWebhookRoute(deps: () => ReceiveDeps, limits: WebhookRouteLimits = DEFAULT_WEBHOOK_LIMITS) {
  const slots = new BodySlots(limits.maxBodiesInFlight);
  const keyLookups = guardKeyLookups(limits.keyLookups);
  // The root of a webhook's trace: the hand-off's event carries it to the functions (server/events.ts).
  const POST = (req: Request): Promise<Response> =>
    inSpan('POST /api/webhooks/plaid', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': '/api/webhooks/plaid' } }, async (span) => {
      const res = await answer(req);
      span.setAttribute('http.response.status_code', res.status);
      return res;
    });
  async function answer(req: Request): Promise<Response> {
    let rawBody: Uint8Array;
    const slot = slots.enter();
    try {
      rawBody = await readBodyWithLimits(req, limits.maxBodyBytes, limits.bodyTimeoutMs, { signal: slot.signal });
    } catch (err) {
      if (!(err instanceof BodyLimitError)) throw err;
      refused(deps().log, err, req);
      metrics().webhooksReceived.inc({ outcome: 'rejected', reason: `body_${err.status}`, code: 'unknown' });
      return Response.json(
        { ok: false, error: err.message },
        { status: err.status, headers: { connection: 'close', ...(err.status === 503 ? { 'retry-after': '1' } : {}) } },
      );
    } finally {
      slot.leave();
    }
    const d = deps();
    const result = await receivePlaidWebhook({ ...d, getKey: keyLookups(d.getKey) }, { rawBody, headers: req.headers });
    return Response.json(result.body, { status: result.status });
  }
  return Object.assign(POST, { slots, keyLookups: keyLookups.stats });
}

function refused(log: Logger, err: BodyLimitError, req: Request) {
  log.warn({ status: err.status, reason: err.message, content_length: req.headers.get('content-length') }, 'Webhook body refused');
}
