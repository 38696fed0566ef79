import { Analytics } from '@segment/analytics-node';

export interface SegmentConfig {
  writeKey: string;
  /** Base URL of Segment's API, or of a compatible collector (a path, if given, replaces /v1/batch). */
  endpoint?: string | null;
}

export interface SegmentTrack {
  event: string;
  userId: string;
  properties: Record<string, unknown>;
  messageId: string;
  timestamp?: Date;
}

const clients = new Map<string, Analytics>();

/** One client per write key and endpoint for the life of the process. */
function client(config: SegmentConfig): Analytics {
  const key = `${config.writeKey}\n${config.endpoint ?? ''}`;
  let found = clients.get(key);
  if (!found) {
    const url = config.endpoint ? new URL(config.endpoint) : null;
    found = new Analytics({
      writeKey: config.writeKey,
      ...(url ? { host: url.origin } : {}),
      ...(url && url.pathname !== '/' ? { path: url.pathname } : {}),
      // Sent at once, one batch per call: the caller (a durable step) must learn whether Segment
      // took the event, so a failure retries the step instead of vanishing in a background queue.
      flushAt: 1,
      maxRetries: 2,
      httpRequestTimeout: 5000,
    });
    clients.set(key, found);
  }
  return found;
}

/** Resolves once Segment acknowledged the event; rejects when delivery failed. */
export function sendToSegment(config: SegmentConfig, message: SegmentTrack): Promise<void> {
  return new Promise((resolve, reject) => {
    client(config).track(message, (err) => {
      if (err) reject(err instanceof Error ? err : new Error(`Segment delivery failed: ${String(err)}`));
      else resolve();
    });
  });
}

/** Flushes and forgets every Segment client (tests, shutdown). */
export async function closeSegmentClients(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.closeAndFlush({ timeout: 5000 })));
}
