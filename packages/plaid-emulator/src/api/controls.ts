import { z } from 'zod';
import type { Ctx } from '../core/context';
import { json } from './handler';
import { plaidError, PlaidApiError } from '../core/errors';
import { clearFaults, faultInput, injectFault, type Fault, type FaultInput } from '../core/faults';
import { newRequestId } from '../core/ids';
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
 *   GET  /emulator/faults · POST /emulator/faults { endpoint, times?, error_code?, http_status?, latency_ms?, sync_mutation? }
 *   POST /emulator/faults/clear
 *   GET  /emulator/webhooks[?item_id=]           deliveries with attempts and outcome
 *   POST /emulator/webhooks/settle               wait for in-flight deliveries
 *   POST /emulator/keys/rotate                   { old_kid, new_kid }
 *   POST /emulator/reset                         forget everything
 */
export interface ItemRef { item_id?: string; access_token?: string }

export interface Controls {
  items(): { item_id: string; institution_id: string; username: string; removed: boolean; error_code: string | null; update_status: string; transactions: number; log_length: number }[];
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
      })),
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

/** HTTP face of the controls; `path` is relative to `/emulator`. */
export async function handleControl(controls: Controls, req: Request, path: string): Promise<Response> {
  const requestId = newRequestId();
  try {
    const url = new URL(req.url);
    const body = req.method === 'POST' ? await readJson(req) : {};
    const key = `${req.method} ${path}`;
    switch (key) {
      case 'GET /items': return json(200, { items: controls.items() });
      case 'POST /items/advance_clock': {
        const input = ref.extend({ days: z.number().int().min(1).max(3650) }).parse(body);
        return json(200, controls.advanceClock(input, input.days));
      }
      case 'POST /items/refresh': return json(200, controls.refresh(ref.parse(body)));
      case 'POST /items/release': controls.releasePull(ref.parse(body)); return json(200, { released: true });
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
