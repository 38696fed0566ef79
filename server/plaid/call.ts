import type { Db } from '../../db/client';
import { plaidApiCalls } from '../../db/schema';
import type { Logger } from '../logger';
import { metrics } from '../metrics/registry';
import { inSpan, SpanKind } from '../telemetry/spans';
import { classifyPlaidError, type PlaidFailure } from './errors';

export class PlaidCallError extends Error {
  constructor(
    readonly endpoint: string,
    readonly failure: PlaidFailure,
    cause: unknown,
  ) {
    super(`Plaid ${endpoint} failed: ${failure.error?.error_code ?? failure.httpStatus ?? 'network error'}`, { cause });
    this.name = 'PlaidCallError';
  }
}

/**
 * Runs one Plaid SDK call, records it in plaid_api_calls (endpoint, item, request id, outcome,
 * latency — never the request body, so never a token) and turns failures into PlaidCallError.
 */
export async function plaidCall<T extends { data: { request_id?: string } }>(
  db: Db,
  meta: { endpoint: string; itemId?: string | null; log?: Logger },
  call: () => Promise<T>,
): Promise<T['data']> {
  // A client span per call: endpoint, item, Plaid's request id and error code (the request, which
  // holds the access token, is never looked at).
  const attributes = { 'plaid.endpoint': meta.endpoint, ...(meta.itemId ? { 'tributary.item_id': meta.itemId } : {}) };
  return inSpan(`plaid ${meta.endpoint}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const started = performance.now();
    try {
      const res = await call();
      span.setAttributes({ 'http.response.status_code': 200, ...(res.data.request_id ? { 'plaid.request_id': res.data.request_id } : {}) });
      await record(db, meta, started, { httpStatus: 200, requestId: res.data.request_id ?? null });
      return res.data;
    } catch (err) {
      const failure = classifyPlaidError(err);
      const outcome = {
        httpStatus: failure.httpStatus,
        requestId: failure.error?.request_id ?? null,
        errorType: failure.error?.error_type ?? null,
        errorCode: failure.error?.error_code ?? (failure.httpStatus ? null : 'NETWORK_ERROR'),
      };
      span.setAttributes({
        ...(outcome.httpStatus ? { 'http.response.status_code': outcome.httpStatus } : {}),
        ...(outcome.requestId ? { 'plaid.request_id': outcome.requestId } : {}),
        ...(outcome.errorType ? { 'plaid.error_type': outcome.errorType } : {}),
        'plaid.error_code': outcome.errorCode ?? `HTTP_${outcome.httpStatus}`,
      });
      await record(db, meta, started, outcome);
      meta.log?.warn(
        { endpoint: meta.endpoint, item_id: meta.itemId, plaid_error: failure.error?.error_code, status: failure.httpStatus },
        'Plaid call failed',
      );
      throw new PlaidCallError(meta.endpoint, failure, err);
    }
  });
}

async function record(
  db: Db,
  meta: { endpoint: string; itemId?: string | null },
  started: number,
  outcome: { httpStatus: number | null; requestId: string | null; errorType?: string | null; errorCode?: string | null },
) {
  const m = metrics();
  m.plaidCalls.inc({ endpoint: meta.endpoint, error_code: outcome.errorCode ?? (outcome.httpStatus === 200 ? 'none' : `HTTP_${outcome.httpStatus}`) });
  m.plaidCallSeconds.observe({ endpoint: meta.endpoint }, (performance.now() - started) / 1000);
  await db.insert(plaidApiCalls).values({
    endpoint: meta.endpoint,
    itemId: meta.itemId ?? null,
    latencyMs: Math.round(performance.now() - started),
    ...outcome,
  });
}
