import { createServer } from 'node:net';
import {
  GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, ListShardsCommand,
  type PutRecordsCommandInput, type PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';
import type { StreamKind } from '../../db/schema/outbox';

/** Test and bench support: realistic Plaid objects, stream read-back, fault injection. */

export const testStreams: Record<StreamKind, string> = {
  'raw-transactions': 'test-raw-transactions',
  'raw-accounts': 'test-raw-accounts',
  'refined-transactions': 'test-refined-transactions',
  'refined-accounts': 'test-refined-accounts',
};

const merchants = ['Starbucks', 'Uber', 'Whole Foods', 'Amazon', 'Shell', 'Netflix', null] as const;
const categories = [['FOOD_AND_DRINK', 'FOOD_AND_DRINK_COFFEE'], ['TRANSPORTATION', 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES'], ['INCOME', 'INCOME_WAGES']] as const;

/** A Plaid /transactions/sync transaction shaped like the real thing (amount as a JSON number). */
export function fakePlaidTransaction(n: number, overrides: Record<string, unknown> = {}) {
  const merchant = merchants[n % merchants.length] ?? null;
  const [primary, detailed] = categories[n % categories.length]!;
  const day = String(1 + (n % 28)).padStart(2, '0');
  return {
    transaction_id: `txn_${n.toString(36).padStart(8, '0')}`,
    account_id: `acc_${n % 3}`,
    account_owner: null,
    amount: n % 5 === 0 ? -(1000 + n) / 100 : ((n * 37) % 10_000) / 100 + 0.01,
    iso_currency_code: 'USD',
    unofficial_currency_code: null,
    date: `2024-03-${day}`,
    authorized_date: `2024-03-${day}`,
    datetime: `2024-03-${day}T12:00:00Z`,
    authorized_datetime: null,
    name: merchant ? `${merchant.toUpperCase()} #${n % 997}` : `ACH TRANSFER ${n}`,
    merchant_name: merchant,
    merchant_entity_id: merchant ? `ent_${merchant.length}` : null,
    logo_url: merchant ? `https://plaid-merchant-logos.plaid.com/${merchant.toLowerCase().replace(' ', '_')}.png` : null,
    website: merchant ? `${merchant.toLowerCase().replace(' ', '')}.com` : null,
    pending: n % 11 === 0,
    pending_transaction_id: null,
    payment_channel: n % 2 ? 'in store' : 'online',
    personal_finance_category: { primary, detailed, confidence_level: 'VERY_HIGH' },
    category: ['Food and Drink', 'Restaurants'],
    category_id: '13005000',
    location: { address: null, city: 'San Francisco', region: 'CA', postal_code: '94105', country: 'US', lat: null, lon: null, store_number: null },
    payment_meta: { by_order_of: null, payee: null, payer: null, payment_method: null, payment_processor: null, ppd_id: null, reason: null, reference_number: null },
    counterparties: [],
    transaction_type: 'place',
    transaction_code: null,
    check_number: null,
    ...overrides,
  };
}

/** A Plaid account with balances as /accounts/get returns it. */
export function fakePlaidAccount(n: number, overrides: Record<string, unknown> = {}) {
  return {
    account_id: `acc_${n}`,
    name: n % 2 ? 'Plaid Checking' : 'Plaid Credit Card',
    official_name: n % 2 ? 'Plaid Gold Standard 0% Interest Checking' : 'Plaid Diamond 12.5% APR Interest Credit Card',
    mask: String(1000 + n).slice(-4),
    type: n % 2 ? 'depository' : 'credit',
    subtype: n % 2 ? 'checking' : 'credit card',
    verification_status: null,
    persistent_account_id: `persist_${n}`,
    balances: { available: 100.5 + n, current: 110 + n, limit: n % 2 ? null : 2000, iso_currency_code: 'USD', unofficial_currency_code: null, last_updated_datetime: null },
    ...overrides,
  };
}

export interface ReadRecord { partitionKey: string; sequenceNumber: string; shardId: string; data: Record<string, unknown> }

/** Every record in a stream, shard by shard in sequence order (TRIM_HORIZON to the tip). */
export async function readStream(kinesis: KinesisClient, streamName: string): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    while (iterator) {
      const res = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of res.Records ?? []) {
        out.push({ partitionKey: r.PartitionKey!, sequenceNumber: r.SequenceNumber!, shardId: shard.ShardId!, data: JSON.parse(Buffer.from(r.Data!).toString('utf8')) });
      }
      if (!res.Records?.length) break;
      iterator = res.NextShardIterator;
    }
  }
  return out;
}

/** A 127.0.0.1 port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface PutRecordsCall { stream: string; entries: Array<{ partitionKey: string; recordId: string; bytes: number }>; failed: number[] }

/**
 * Watches every PutRecords call on `client` and, for the entries `fail` picks (by index), answers
 * ProvisionedThroughputExceededException instead of sending them, as Kinesis does for a partial
 * failure. Returns the log of calls.
 */
export function interceptPutRecords(client: KinesisClient, fail: (call: PutRecordsCall, callIndex: number) => number[] = () => []): PutRecordsCall[] {
  const calls: PutRecordsCall[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'PutRecordsCommand') return next(args);
      const input = args.input as PutRecordsCommandInput;
      const call: PutRecordsCall = {
        stream: input.StreamName!,
        entries: (input.Records ?? []).map((r) => ({
          partitionKey: r.PartitionKey!,
          recordId: String(JSON.parse(Buffer.from(r.Data!).toString('utf8')).recordId),
          bytes: r.Data!.byteLength + Buffer.byteLength(r.PartitionKey!),
        })),
        failed: [],
      };
      call.failed = fail(call, calls.length);
      calls.push(call);
      if (call.failed.length === 0) return next(args);
      const failed = new Set(call.failed);
      const kept = (input.Records ?? []).filter((_, i) => !failed.has(i));
      const sent = kept.length ? ((await next({ ...args, input: { ...input, Records: kept } })) as { output: PutRecordsCommandOutput; response: unknown }) : { output: { Records: [], $metadata: {} } as PutRecordsCommandOutput, response: {} };
      const results = [...(sent.output.Records ?? [])];
      const merged = (input.Records ?? []).map((_, i) =>
        failed.has(i) ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard (injected)' } : results.shift()!,
      );
      return { ...sent, output: { ...sent.output, FailedRecordCount: failed.size, Records: merged } } as never;
    },
    { step: 'initialize', name: 'interceptPutRecords' },
  );
  return calls;
}
