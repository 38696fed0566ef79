import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { env } from '../env';
import type { StreamKind } from '../../db/schema/outbox';

export type StreamNames = Record<StreamKind, string>;

export interface KinesisClientOptions {
  /** e.g. http://127.0.0.1:4567 for kinesalite; omit for the AWS regional endpoint. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** SDK attempts per call (1 = no SDK retry; the publisher has its own retry). */
  maxAttempts?: number;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** Credentials kinesalite accepts (it checks the signature's shape, not the keys). */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * A Kinesis client. Defaults come from env(): KINESIS_ENDPOINT, KINESIS_REGION and, when both are
 * set, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (otherwise the SDK's default provider chain, e.g.
 * an IAM role). NodeHttpHandler because kinesalite speaks HTTP/1.1 only; explicit timeouts so an
 * unreachable endpoint fails fast instead of hanging a publisher.
 */
export function createKinesisClient(options: KinesisClientOptions = {}): KinesisClient {
  const e = env();
  const endpoint = options.endpoint ?? e.KINESIS_ENDPOINT;
  const configured =
    e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: e.AWS_ACCESS_KEY_ID, secretAccessKey: e.AWS_SECRET_ACCESS_KEY }
      : undefined;
  const isLocal = endpoint ? /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(endpoint) : false;
  return new KinesisClient({
    region: options.region ?? e.KINESIS_REGION,
    endpoint,
    credentials: options.credentials ?? configured ?? (isLocal ? localCredentials : undefined),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 15_000,
    }),
  });
}

/** The configured stream names keyed by kind (KINESIS_STREAM_*). */
export function streamNames(): StreamNames {
  return env().streams;
}

/**
 * Creates each stream that does not exist yet and waits until all are ACTIVE. For kinesalite and
 * local stacks; in AWS the streams are provisioned by infrastructure code, not by the app.
 */
export async function ensureStreams(
  client: KinesisClient,
  names: readonly string[],
  { shardCount = 1, timeoutMs = 30_000 }: { shardCount?: number; timeoutMs?: number } = {},
): Promise<void> {
  for (const name of names) {
    try {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      try {
        const { StreamDescriptionSummary: s } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
        if (s?.StreamStatus === 'ACTIVE') break;
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      if (Date.now() > deadline) throw new Error(`Kinesis stream ${name} not ACTIVE after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
