import { z } from 'zod';
import type { PlaidError } from 'plaid';
import type { Ctx } from '../core/context';
import { json } from './handler';
import { plaidError, PlaidApiError } from '../core/errors';
import { clearFaults, faultInput, injectFault, type Fault, type FaultInput } from '../core/faults';
import { newRequestId } from '../core/ids';
import { ITEM_STATE_CODES, clearItemError, setItemError, type ItemStateCode, type SetStateOptions } from '../core/item-state';
import { advanceItemClock, refreshItem, releaseDueData } from '../core/pull';
import { rotateSigningKey } from '../core/signing-keys';
import { emptyState, type ItemRecord, type WebhookDelivery } from '../core/state';
import { settleWebhooks } from '../core/webhooks';

/**
 * Test controls — not Plaid's API. Plain methods for in-process tests, and the same operations
 * over HTTP under `/emulator/` (JSON in, JSON out):
 *
 *   GET  /emulator/items                         items (id, institution, status, counts)
 *   POST /emulator/items/advance_clock           { item_id | access_token, days }
 *   POST /emulator/items/refresh                 { item_id | access_token }
 *   POST /emulator/items/release                 { item_id | access_token }  finish the initial pull now
 *   POST /emulator/items/error                   { item_id | access_token, error_code, webhook?, days? }  put the item
 *        (or /emulator/items/<item_id>/error)      into an item error or a PENDING_EXPIRATION / PENDING_DISCONNECT deadline
 *   POST /emulator/items/clear_error             { item_id | access_token, webhook? }  repair it outside the app
 *        (or /emulator/items/<item_id>/clear_error) (LOGIN_REPAIRED when it leaves ITEM_LOGIN_REQUIRED)
 *   GET  /emulator/faults · POST /emulator/faults { endpoint, times?, error_code?, http_status?, latency_ms?, sync_mutation? }
 *   POST /emulator/faults/clear
 *   GET  /emulator/webhooks[?item_id=]           deliveries with attempts and outcome
 *   POST /emulator/webhooks/settle               wait for in-flight deliveries
 *   POST /emulator/keys/rotate                   { old_kid, new_kid }
 *   POST /emulator/reset                         forget everything
 */
export interface ItemRef { item_id?: string; access_token?: string }

export interface Controls {
  items(): {
    item_id: string; institution_id: string; username: string; removed: boolean; error_code: string | null; update_status: string;
    transactions: number; log_length: number; consent_expiration_time: string | null; disconnect_at: string | null; unshared_accounts: number;
  }[];
  /** Puts the item into an item error (see `ITEM_STATE_CODES`), firing the webhook Plaid would unless `webhook: false`. */
  setItemError(ref: ItemRef | string, errorCode: ItemStateCode, options?: SetStateOptions): { error: PlaidError | null; consent_expiration_time: string | null; disconnect_at: string | null };
  /** Repairs the item outside the app; LOGIN_REPAIRED fires if it leaves ITEM_LOGIN_REQUIRED (unless `webhook: false`). */
  clearItemError(ref: ItemRef | string, options?: { webhook?: boolean }): { cleared: string | null };
  advanceClock(ref: ItemRef | string, days: number): { changes: number };
  refresh(ref: ItemRef | string): { changes: number };
  releasePull(ref: ItemRef | string): void;
  injectFault(input: FaultInput): Fault;
  faults(): Fault[];
  clearFaults(): void;
  webhookDeliveries(itemId?: string): WebhookDelivery[];
  settleWebhooks(): Promise<void>;
  rotateSigningKey(): { old_kid: string; new_kid: string };
  reset(): void;
}

export function createControls(ctx: Ctx): Controls {
  const item = (ref: ItemRef | string): ItemRecord => {
    const r = typeof ref === 'string' ? (ref.startsWith('access-') ? { access_token: ref } : { item_id: ref }) : ref;
    const id = r.item_id ?? (r.access_token ? ctx.state.accessTokens[r.access_token] : undefined);
    const found = id ? ctx.state.items[id] : undefined;
    if (!found || found.removed) throw plaidError('ITEM_NOT_FOUND');
    return found;
  };
  return {
    items: () =>
      Object.values(ctx.state.items).map((i) => ({
        item_id: i.itemId,
        institution_id: i.institutionId,
        username: i.username,
        removed: i.removed,
        error_code: i.error?.error_code ?? null,
        update_status: i.updateStatus,
        transactions: i.removed ? 0 : ctx.index(i).current.size,
        log_length: i.log.length,
        consent_expiration_time: i.consentExpiration,
        disconnect_at: i.disconnectAt ?? null,
        unshared_accounts: (i.unshared ?? []).length,
      })),
    setItemError(ref, errorCode, options) {
      const i = item(ref);
      if (!ITEM_STATE_CODES.includes(errorCode)) throw plaidError('INVALID_FIELD', `error_code must be one of ${ITEM_STATE_CODES.join(', ')}`);
      setItemError(ctx, i, errorCode, options);
      return { error: i.error, consent_expiration_time: i.consentExpiration, disconnect_at: i.disconnectAt ?? null };
    },
    clearItemError: (ref, options) => ({ cleared: clearItemError(ctx, item(ref), options).was }),
    advanceClock: (ref, days) => ({ changes: advanceItemClock(ctx, item(ref), days).length }),
    refresh: (ref) => ({ changes: refreshItem(ctx, item(ref)).length }),
    releasePull(ref) {
      const i = item(ref);
      i.initialUpdateAt = Math.min(i.initialUpdateAt, ctx.nowMs());
      i.historicalUpdateAt = Math.min(i.historicalUpdateAt, ctx.nowMs());
      releaseDueData(ctx, i);
    },
    injectFault: (input) => injectFault(ctx, input),
    faults: () => [...ctx.faults.values()].flat(),
    clearFaults: () => clearFaults(ctx),
    webhookDeliveries: (itemId) => ctx.state.deliveries.filter((d) => !itemId || d.itemId === itemId),
    settleWebhooks: () => settleWebhooks(ctx),
    rotateSigningKey() {
      const r = rotateSigningKey(ctx);
      return { old_kid: r.oldKid, new_kid: r.newKid };
    },
    reset() {
      ctx.clearTimers();
      ctx.state = emptyState();
      ctx.dropIndexes();
      ctx.faults.clear();
      ctx.rateWindows.clear();
      ctx.changed();
    },
  };
}

const ref = z.strictObject({ item_id: z.string().optional(), access_token: z.string().optional() });
const stateInput = ref.extend({ error_code: z.enum(ITEM_STATE_CODES as [ItemStateCode, ...ItemStateCode[]]), webhook: z.boolean().optional(), days: z.number().min(0).max(3650).optional() });

/** HTTP face of the controls; `path` is relative to `/emulator`. */
export async function handleControl(controls: Controls, req: Request, path: string): Promise<Response> {
  const requestId = newRequestId();
  try {
    const url = new URL(req.url);
    const body = req.method === 'POST' ? await readJson(req) : {};
    // `/items/<item_id>/error` is `/items/error` with the item id in the path.
    const byId = /^\/items\/([A-Za-z0-9]+)\/(error|clear_error)$/.exec(path);
    if (byId && req.method === 'POST' && body && typeof body === 'object') Object.assign(body, { item_id: byId[1] });
    const key = `${req.method} ${byId ? `/items/${byId[2]}` : path}`;
    switch (key) {
      case 'GET /items': return json(200, { items: controls.items() });
      case 'POST /items/advance_clock': {
        const input = ref.extend({ days: z.number().int().min(1).max(3650) }).parse(body);
        return json(200, controls.advanceClock(input, input.days));
      }
      case 'POST /items/refresh': return json(200, controls.refresh(ref.parse(body)));
      case 'POST /items/release': controls.releasePull(ref.parse(body)); return json(200, { released: true });
      case 'POST /items/error': {
        const input = stateInput.parse(body);
        return json(200, controls.setItemError(input, input.error_code, { webhook: input.webhook, days: input.days }));
      }
      case 'POST /items/clear_error': {
        const input = ref.extend({ webhook: z.boolean().optional() }).parse(body);
        return json(200, controls.clearItemError(input, { webhook: input.webhook }));
      }
      case 'GET /faults': return json(200, { faults: controls.faults() });
      case 'POST /faults': return json(200, { fault: controls.injectFault(faultInput.parse(body)) });
      case 'POST /faults/clear': controls.clearFaults(); return json(200, { cleared: true });
      case 'GET /webhooks': return json(200, { deliveries: controls.webhookDeliveries(url.searchParams.get('item_id') ?? undefined) });
      case 'POST /webhooks/settle': await controls.settleWebhooks(); return json(200, { settled: true });
      case 'POST /keys/rotate': return json(200, controls.rotateSigningKey());
      case 'POST /reset': controls.reset(); return json(200, { reset: true });
      default: throw plaidError('NOT_FOUND', `no emulator control ${key}`);
    }
  } catch (e) {
    const err = e instanceof PlaidApiError ? e : e instanceof z.ZodError ? plaidError('INVALID_FIELD', z.prettifyError(e)) : plaidError('INTERNAL_SERVER_ERROR');
    return json(err.status, err.toBody(requestId));
  }
}

async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw plaidError('INVALID_BODY');
  }
}
