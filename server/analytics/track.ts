import { createHash } from 'node:crypto';
import type { Db } from '../../db/client';
import { analyticsEvents } from '../../db/schema';
import { env } from '../env';
import { type SegmentConfig, sendToSegment } from './segment';

export type AnalyticsEventName = 'Item Errored' | 'Item Repaired';

export interface TrackInput {
  event: AnalyticsEventName;
  userId: string;
  /** Identifiers and codes only: never a token, an account number or a routing number. */
  properties: Record<string, string | number | boolean | null>;
  /**
   * Makes the event idempotent: the same key is one row in analytics_events, and Segment's
   * messageId (which Segment dedupes on). Durable functions retry, so they always pass one.
   */
  dedupeKey?: string;
}

/** Where analytics go: Segment when a write key is configured, else the analytics_events table. */
export type AnalyticsSink = { kind: 'segment'; segment: SegmentConfig } | { kind: 'table' };

export function analyticsSinkFromEnv(): AnalyticsSink {
  const e = env();
  return e.SEGMENT_WRITE_KEY
    ? { kind: 'segment', segment: { writeKey: e.SEGMENT_WRITE_KEY, endpoint: e.SEGMENT_ENDPOINT ?? null } }
    : { kind: 'table' };
}

const SECRET_KEYS = /token|secret|password|account_?number|routing/i;

/** A UUID derived from the dedupe key, so a repeat lands on the same primary key. */
function stableUuid(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function track(db: Db, input: TrackInput, sink: AnalyticsSink = analyticsSinkFromEnv()): Promise<void> {
  const leaked = Object.keys(input.properties).find((k) => SECRET_KEYS.test(k));
  // A programming error, caught before anything leaves the process.
  if (leaked) throw new Error(`Analytics property "${leaked}" looks like a secret and is not allowed`);
  const id = stableUuid(input.dedupeKey ?? `${input.event}\n${crypto.randomUUID()}`);
  if (sink.kind === 'segment') {
    await sendToSegment(sink.segment, { event: input.event, userId: input.userId, properties: input.properties, messageId: id });
    return;
  }
  await db
    .insert(analyticsEvents)
    .values({ id, event: input.event, userId: input.userId, properties: input.properties })
    .onConflictDoNothing({ target: analyticsEvents.id });
}
