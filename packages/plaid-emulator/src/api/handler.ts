import type { z } from 'zod';
import type { Ctx } from '../core/context';
import { PlaidApiError, missingFields, plaidError, unknownFields } from '../core/errors';
import { applyFaults } from '../core/faults';
import { newRequestId } from '../core/ids';
import { accountRoutes } from './routes/accounts';
import { institutionRoutes } from './routes/institutions';
import { itemRoutes } from './routes/items';
import { linkRoutes } from './routes/link';
import type { Route } from './routes/route';
import { transactionRoutes } from './routes/transactions';

/**
 * The Plaid API surface: routing, credentials, strict body validation and error bodies.
 * Other paths go to the test controls (`/emulator/...`) or the Link stand-in's routes.
 */
export const ROUTES: Record<string, Route> = { ...linkRoutes, ...itemRoutes, ...accountRoutes, ...transactionRoutes, ...institutionRoutes };

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

function errorResponse(e: PlaidApiError, requestId: string): Response {
  return json(e.status, e.toBody(requestId));
}

function validationError(issues: z.core.$ZodIssue[], body: Record<string, unknown>): PlaidApiError {
  const at = (path: PropertyKey[]) => path.map(String).join('.');
  const unknown = issues.filter((i) => i.code === 'unrecognized_keys').flatMap((i) => i.keys.map((k) => at([...i.path, k])));
  if (unknown.length) return unknownFields(unknown);
  const valueAt = (path: PropertyKey[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), body);
  const missing = issues.filter((i) => i.code === 'invalid_type' && valueAt(i.path) === undefined).map((i) => at(i.path));
  if (missing.length) return missingFields(missing);
  const first = issues[0];
  return plaidError('INVALID_FIELD', first ? `${at(first.path) || 'body'}: ${first.message}` : undefined);
}

function checkCredentials(ctx: Ctx, req: Request, body: Record<string, unknown>): void {
  const clientId = typeof body.client_id === 'string' ? body.client_id : req.headers.get('plaid-client-id');
  const secret = typeof body.secret === 'string' ? body.secret : req.headers.get('plaid-secret');
  delete body.client_id;
  delete body.secret;
  const missing = [!clientId ? 'client_id' : null, !secret ? 'secret' : null].filter((x): x is string => x !== null);
  if (missing.length) throw missingFields(missing);
  if ((ctx.opts.clientId !== undefined && clientId !== ctx.opts.clientId) || (ctx.opts.secret !== undefined && secret !== ctx.opts.secret)) {
    throw plaidError('INVALID_API_KEYS');
  }
}

export async function handlePlaid(ctx: Ctx, req: Request, path: string): Promise<Response> {
  const requestId = newRequestId();
  try {
    const r = ROUTES[path];
    if (!r || req.method !== 'POST') throw plaidError('NOT_FOUND', `no such endpoint: ${req.method} ${path}`);
    let body: unknown;
    try {
      body = JSON.parse(await req.text());
    } catch {
      throw plaidError('INVALID_BODY');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw plaidError('INVALID_BODY', 'body must be a JSON object');
    const fields = body as Record<string, unknown>;
    checkCredentials(ctx, req, fields);
    const parsed = r.schema.safeParse(fields);
    if (!parsed.success) throw validationError(parsed.error.issues, fields);
    await applyFaults(ctx, path);
    const result = await r.handle(ctx, parsed.data, { requestId, endpoint: path });
    return json(200, result);
  } catch (e) {
    if (e instanceof PlaidApiError) return errorResponse(e, requestId);
    ctx.log('emulator bug', { path, error: e instanceof Error ? e.stack : String(e) });
    return errorResponse(plaidError('INTERNAL_SERVER_ERROR'), requestId);
  }
}
