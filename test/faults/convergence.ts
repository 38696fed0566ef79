import { and, asc, eq } from 'drizzle-orm';
import { plaidWebhooks, streamOutbox } from '../../db/schema';
import { streamKinds, type StreamKind } from '../../db/schema/outbox';
import { readStream, testStreams, type ReadRecord } from '../support/streams';
import { databaseView, decimalText, emulatorView } from '../support/sync';
import type { FaultWorld } from './fault-world';

/**
 * "Converged, nothing lost" for one item, counted rather than asserted so the figures can show
 * it. Every count is a loss: 0 everywhere is the only good answer.
 * - database: transactions (ids, amounts, dates, pending, pending ids) and balances = the emulator;
 * - outbox: record ids unique, and replaying raw-transactions / raw-accounts records in order
 *   yields the emulator's state (a change that never became a record shows up here);
 * - Kinesis: every outbox record published, first deliveries in outbox order per item;
 * - webhooks: every delivery the emulator made is stored (or counted on the row of the same body), handled, none given up on.
 */
export interface ItemLosses {
  transactions: number;
  balances: number;
  outboxDuplicates: number;
  outboxChanges: number;
  streamGaps: number;
  streamOrder: number;
  webhooksNotStored: number;
  webhooksUnhandled: number;
  webhooksUndelivered: number;
}

type Tx = { amount: string; date: string; pending: boolean; accountId: string; pendingTransactionId: string | null };

/** Flat values compared field by field, whatever their key order. */
const canon = (v: unknown) => (v && typeof v === 'object' ? JSON.stringify(v, Object.keys(v).sort()) : String(v));

function mismatches<T>(a: Map<string, T>, b: Map<string, T>): number {
  let n = 0;
  for (const id of new Set([...a.keys(), ...b.keys()])) if (canon(a.get(id)) !== canon(b.get(id))) n++;
  return n;
}

const asTx = (p: Record<string, unknown>): Tx => ({
  amount: decimalText(p.amount as number), date: String(p.date), pending: Boolean(p.pending),
  accountId: String(p.account_id), pendingTransactionId: (p.pending_transaction_id as string | null) ?? null,
});

export async function readAllStreams(w: FaultWorld): Promise<Record<StreamKind, ReadRecord[]>> {
  const out = {} as Record<StreamKind, ReadRecord[]>;
  for (const kind of streamKinds) out[kind] = await readStream(w.kinesis, testStreams[kind]);
  return out;
}

export async function itemLosses(w: FaultWorld, ids: { itemId: string; plaidItemId: string }, streams: Record<StreamKind, ReadRecord[]>): Promise<ItemLosses> {
  const { db } = w.h;
  const truth = emulatorView(w.h, ids.plaidItemId);
  const held = await databaseView(db, ids.itemId);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map(({ id, ...rest }) => [id, rest]));
  const losses: ItemLosses = {
    transactions: mismatches(byId(truth.transactions), byId(held.transactions)),
    balances: mismatches(byId(truth.accounts), byId(held.accounts)),
    outboxDuplicates: 0, outboxChanges: 0, streamGaps: 0, streamOrder: 0,
    webhooksNotStored: 0, webhooksUnhandled: 0, webhooksUndelivered: 0,
  };

  const outbox = await db.select().from(streamOutbox).where(eq(streamOutbox.itemId, ids.itemId)).orderBy(asc(streamOutbox.seq));
  losses.outboxDuplicates = outbox.length - new Set(outbox.map((r) => r.recordId)).size;
  const replayed = new Map<string, Tx>();
  const balances = new Map<string, { current: string | null; available: string | null }>();
  for (const r of outbox) {
    const payload = r.payload as { entity?: string; changeType: string; plaid: Record<string, unknown> };
    // Item-level records (linked, status changed, removed) ride the account streams: not balances.
    if (payload.entity === 'item') continue;
    if (r.stream === 'raw-transactions') {
      const id = String(payload.plaid.transaction_id);
      if (payload.changeType === 'removed') replayed.delete(id);
      else replayed.set(id, asTx(payload.plaid));
    } else if (r.stream === 'raw-accounts' && payload.changeType !== 'removed') {
      const b = payload.plaid.balances as { current: number | null; available: number | null };
      balances.set(String(payload.plaid.account_id), {
        current: b.current === null ? null : decimalText(b.current), available: b.available === null ? null : decimalText(b.available),
      });
    }
  }
  const truthTx = new Map(truth.transactions.map(({ id, ...t }) => [id, t]));
  losses.outboxChanges = mismatches(truthTx, replayed) + mismatches(byId(truth.accounts), balances);

  for (const kind of streamKinds) {
    const expected = outbox.filter((r) => r.stream === kind).map((r) => r.recordId);
    const firstSeen: string[] = [];
    const seen = new Set<string>();
    for (const rec of streams[kind].filter((s) => s.partitionKey === ids.itemId)) {
      const id = String(rec.data.recordId);
      if (!seen.has(id)) firstSeen.push(id);
      seen.add(id);
    }
    losses.streamGaps += expected.filter((id) => !seen.has(id)).length;
    const published = firstSeen.filter((id) => expected.includes(id));
    losses.streamOrder += published.filter((id, i) => expected.filter((e) => seen.has(e))[i] !== id).length;
  }

  Object.assign(losses, await webhookLosses(w, ids.plaidItemId));
  return losses;
}

export type WebhookLosses = Pick<ItemLosses, 'webhooksNotStored' | 'webhooksUnhandled' | 'webhooksUndelivered'>;

/** Webhooks the emulator delivered but the app did not store, stored but did not handle, or never got delivered. */
export async function webhookLosses(w: FaultWorld, plaidItemId: string): Promise<WebhookLosses> {
  const losses: WebhookLosses = { webhooksNotStored: 0, webhooksUnhandled: 0, webhooksUndelivered: 0 };
  const deliveries = w.h.emu.emulator.controls.webhookDeliveries(plaidItemId);
  const stored = await w.h.db
    .select()
    .from(plaidWebhooks)
    .where(and(eq(plaidWebhooks.plaidItemId, plaidItemId), eq(plaidWebhooks.source, 'plaid'), eq(plaidWebhooks.verified, true)));
  // A delivery with the body of one stored shortly before (Plaid's retry, or the same news again)
  // is counted on that row (delivery_count) rather than stored twice.
  const storedBodies = new Map<string, number>();
  for (const s of stored) storedBodies.set(s.rawBody, (storedBodies.get(s.rawBody) ?? 0) + s.deliveryCount);
  for (const d of deliveries.filter((x) => x.state === 'delivered')) {
    const left = storedBodies.get(d.body) ?? 0;
    if (left === 0) losses.webhooksNotStored++;
    else storedBodies.set(d.body, left - 1);
  }
  losses.webhooksUndelivered = deliveries.filter((d) => d.state !== 'delivered').length;
  losses.webhooksUnhandled = stored.filter((s) => !['PROCESSED', 'IGNORED'].includes(s.state)).length;
  return losses;
}

export const totalLost = (l: ItemLosses) => Object.values(l).reduce((s, n) => s + n, 0);

export interface Measured { lost: number; checked: number; byItem: ItemLosses[] }

/** Losses over several items, and how much was compared (truth transactions + deliveries). */
export async function measure(w: FaultWorld, items: Array<{ itemId: string; plaidItemId: string }>): Promise<Measured> {
  const streams = await readAllStreams(w);
  const byItem: ItemLosses[] = [];
  let checked = 0;
  for (const ids of items) {
    byItem.push(await itemLosses(w, ids, streams));
    checked += emulatorView(w.h, ids.plaidItemId).transactions.length + w.h.emu.emulator.controls.webhookDeliveries(ids.plaidItemId).length;
  }
  return { lost: byItem.reduce((s, l) => s + totalLost(l), 0), checked, byItem };
}

export const noLosses: ItemLosses = {
  transactions: 0, balances: 0, outboxDuplicates: 0, outboxChanges: 0, streamGaps: 0, streamOrder: 0,
  webhooksNotStored: 0, webhooksUnhandled: 0, webhooksUndelivered: 0,
};
