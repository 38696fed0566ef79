import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { env } from '../env';
import { logger } from '../logger';
import { processContainer } from '../process/container';
import { createKinesisClient, type StreamNames } from './kinesis-client';
import type { LocalKinesis } from './kinesalite';
import { startEmbeddedKinesis } from './kinesalite-thread';

export interface AppKinesis {
  client: KinesisClient;
  streams: StreamNames;
  /** Set in the embedded default: kinesalite on a worker thread of this process. */
  local?: LocalKinesis;
}

/**
 * True when the app should run its own kinesalite: nothing about Kinesis is configured and Plaid
 * runs on the emulator. Any KINESIS_ENDPOINT or AWS key means "talk to that Kinesis instead".
 */
export function usesEmbeddedKinesis(): boolean {
  const e = env();
  return !e.KINESIS_ENDPOINT && !e.AWS_ACCESS_KEY_ID && e.plaidEnv === 'emulator';
}

/**
 * The process's Kinesis: AWS (or KINESIS_ENDPOINT) when configured, else kinesalite started once
 * on a worker thread of this process, on 127.0.0.1 with the four streams created. What the publish-streams function and the
 * support console use.
 */
export function getKinesis(): Promise<AppKinesis> {
  const c = processContainer();
  if (c.kinesis) return c.kinesis;
  const current: Promise<AppKinesis> = (async () => {
    const streams = env().streams;
    if (!usesEmbeddedKinesis()) return { client: createKinesisClient(), streams };
    let client: KinesisClient | null = null;
    // A worker that died under the app: forget it (its port is free for anyone on this machine to
    // take), so the next use starts a fresh kinesalite instead of sending records to that port.
    const local = await startEmbeddedKinesis({ streams: Object.values(streams) }, () => {
      if (c.kinesis === current) c.kinesis = undefined;
      client?.destroy();
    });
    logger().info({ endpoint: local.endpoint, thread: local.thread }, 'embedded kinesalite started');
    client = createKinesisClient({ endpoint: local.endpoint });
    return { client, streams, local };
  })().catch((error: unknown) => {
    if (c.kinesis === current) c.kinesis = undefined;
    throw error;
  });
  c.kinesis = current;
  return current;
}

/** Stops the embedded kinesalite (if any) and forgets the client; for shutdown and tests. */
export async function closeKinesis(): Promise<void> {
  const c = processContainer();
  const current = c.kinesis;
  c.kinesis = undefined;
  if (!current) return;
  const k = await current;
  k.client.destroy();
  await k.local?.close();
}
