import { and, eq, sql } from 'drizzle-orm';
import { plaidWebhooks } from '../../db/schema';
import { rowsOf } from '../../db/rows';
import { streamKinds, type StreamKind } from '../../db/schema/outbox';
import { readStream, testStreams, type ReadRecord } from '../support/streams';
import { databaseView, decimalText, emulatorView } from '../support/sync';
import type { FaultWorld } from './fault-world';

/**
 * "Converged, nothing lost" for one item, counted rather than asserted so the figures can show
 * it. Every count is a loss: 0 everywhere is the only good answer.
 * - database: transactions (ids, amounts, dates, pending, pending ids) and balances = the emulator;
 * - Kinesis, read the way a consumer reads it (by each record's per-item `sequence`): one record
 *   per number and one number per record id (a record delivered again is fine), every number the
 *   item was given (stream_sequences) delivered, first deliveries in number order, and replaying
 *   raw-transactions / raw-accounts in number order yields the emulator's state (a change that
 *   never became a record shows up here);
 * - webhooks: every delivery the emulator made is stored (or counted on the row of the same body), handled, none given up on.
 */
export interface ItemLosses {
  transactions: number;
  balances: number;
  recordDuplicates: number;
  replayMismatches: number;
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
    recordDuplicates: 0, replayMismatches: 0, streamGaps: 0, streamOrder: 0,
    webhooksNotStored: 0, webhooksUnhandled: 0, webhooksUndelivered: 0,
  };

  // What each stream says about the item, by its per-item sequence numbers (what a consumer relies on).
  const numbered = rowsOf<{ stream: StreamKind; last_sequence: number | string }>(await db.execute(sql`
    select stream, last_sequence from stream_sequences where item_id = ${ids.itemId}::uuid`));
  const replayed = new Map<string, Tx>();
  const balances = new Map<string, { current: string | null; available: string | null }>();
  for (const kind of streamKinds) {
    const mine = streams[kind].filter((s) => s.partitionKey === ids.itemId);
    const idBySequence = new Map<number, string>();
    const sequenceById = new Map<string, number>();
    const firstSeen: number[] = [];
    const payloads = new Map<number, { entity?: string; changeType: string; plaid: Record<string, unknown> }>();
    for (const rec of mine) {
      const sequence = Number(rec.data.sequence);
      const id = String(rec.data.recordId);
      // The same record again (at least once) is fine; one number for two records, or two for one, is not.
      if ((idBySequence.has(sequence) && idBySequence.get(sequence) !== id) || (sequenceById.has(id) && sequenceById.get(id) !== sequence)) losses.recordDuplicates++;
      if (!idBySequence.has(sequence)) firstSeen.push(sequence);
      idBySequence.set(sequence, id);
      sequenceById.set(id, sequence);
      payloads.set(sequence, rec.data as never);
    }
    // Every number the item was given on this stream reached Kinesis, each first delivered in order.
    const last = Number(numbered.find((r) => r.stream === kind)?.last_sequence ?? 0);
    for (let n = 1; n <= last; n++) if (!idBySequence.has(n)) losses.streamGaps++;
    losses.streamGaps += [...idBySequence.keys()].filter((n) => n > last).length;
    losses.streamOrder += firstSeen.filter((n, i) => i > 0 && n < firstSeen[i - 1]!).length;
    for (const n of [...payloads.keys()].sort((a, b) => a - b)) {
      const payload = payloads.get(n)!;
      // Item-level records (linked, status changed, removed) ride the account streams: not balances.
      if (payload.entity === 'item') continue;
      if (kind === 'raw-transactions') {
        const id = String(payload.plaid.transaction_id);
        if (payload.changeType === 'removed') replayed.delete(id);
        else replayed.set(id, asTx(payload.plaid));
      } else if (kind === 'raw-accounts' && payload.changeType !== 'removed') {
        const b = payload.plaid.balances as { current: number | null; available: number | null };
        balances.set(String(payload.plaid.account_id), {
          current: b.current === null ? null : decimalText(b.current), available: b.available === null ? null : decimalText(b.available),
        });
      }
    }
  }
  const truthTx = new Map(truth.transactions.map(({ id, ...t }) => [id, t]));
  losses.replayMismatches = mismatches(truthTx, replayed) + mismatches(byId(truth.accounts), balances);

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
  transactions: 0, balances: 0, recordDuplicates: 0, replayMismatches: 0, streamGaps: 0, streamOrder: 0,
  webhooksNotStored: 0, webhooksUnhandled: 0, webhooksUndelivered: 0,
};
