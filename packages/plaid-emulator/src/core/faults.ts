import { z } from 'zod';
import type { Ctx } from './context';
import { PlaidApiError, RATE_LIMIT_CODES, plaidError } from './errors';
import { PlaidErrorType } from 'plaid';

/**
 * Fault injection for tests: the next `times` calls to `endpoint` fail or slow down.
 * - `error_code`: answer with that Plaid error (its usual status, or `http_status`).
 * - `http_status` alone: 429 → the endpoint's rate-limit code, 500 → INTERNAL_SERVER_ERROR, 503 → PLANNED_MAINTENANCE.
 * - `latency_ms`: delay the answer (the call then proceeds normally unless an error is also given).
 * - `sync_mutation`: on /transactions/sync, the next call made mid-pagination finds the data
 *   changed under it (a real modification is appended) → TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION.
 */
export const faultInput = z.strictObject({
  endpoint: z.string().startsWith('/'),
  times: z.number().int().min(1).max(10_000).default(1),
  error_code: z.string().regex(/^[A-Z_]+$/).optional(),
  error_type: z.enum(PlaidErrorType).optional(),
  http_status: z.number().int().min(400).max(599).optional(),
  latency_ms: z.number().int().min(0).max(120_000).optional(),
  sync_mutation: z.boolean().optional(),
});
export type FaultInput = z.input<typeof faultInput>;
export type Fault = z.output<typeof faultInput> & { remaining: number };

export function injectFault(ctx: Ctx, input: FaultInput): Fault {
  const parsed = faultInput.parse(input);
  const fault: Fault = { ...parsed, remaining: parsed.times };
  const list = ctx.faults.get(parsed.endpoint) ?? [];
  list.push(fault);
  ctx.faults.set(parsed.endpoint, list);
  return fault;
}

export function clearFaults(ctx: Ctx): void {
  ctx.faults.clear();
}

function consume(ctx: Ctx, endpoint: string, f: Fault): void {
  f.remaining -= 1;
  if (f.remaining <= 0) {
    const list = ctx.faults.get(endpoint) ?? [];
    ctx.faults.set(endpoint, list.filter((x) => x !== f));
  }
}

/** Applies latency/error faults for a call; sync mutations are taken by `takeSyncMutation`. */
export async function applyFaults(ctx: Ctx, endpoint: string): Promise<void> {
  const f = (ctx.faults.get(endpoint) ?? []).find((x) => !x.sync_mutation);
  if (!f) return;
  consume(ctx, endpoint, f);
  if (f.latency_ms) await new Promise((r) => setTimeout(r, f.latency_ms));
  if (f.error_code) {
    const base = plaidError(f.error_code);
    throw new PlaidApiError(f.http_status ?? base.status, f.error_type ?? base.type, base.code, base.message, base.displayMessage);
  }
  if (f.http_status === 429) throw plaidError(RATE_LIMIT_CODES[endpoint] ?? 'RATE_LIMIT');
  if (f.http_status === 503) throw plaidError('PLANNED_MAINTENANCE');
  if (f.http_status) {
    const base = plaidError('INTERNAL_SERVER_ERROR');
    throw new PlaidApiError(f.http_status, base.type, base.code, base.message);
  }
}

export function takeSyncMutation(ctx: Ctx): boolean {
  const endpoint = '/transactions/sync';
  const f = (ctx.faults.get(endpoint) ?? []).find((x) => x.sync_mutation);
  if (!f) return false;
  consume(ctx, endpoint, f);
  return true;
}
