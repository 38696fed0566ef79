import { createConnection } from 'node:net';
import { GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { setEnvForTests } from '../../test/support/env';
import { startKinesalite } from './kinesalite';
import { closeKinesis, getKinesis } from './app-kinesis';
import { startEmbeddedKinesis, startKinesaliteThread } from './kinesalite-thread';
import { createKinesisClient, localCredentials } from './kinesis-client';

setEnvForTests({ NODE_ENV: 'test' });

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });

describe('in-process kinesalite', () => {
  it('listens on 127.0.0.1 with the configured streams created, and stops on close()', async () => {
    const local = await startKinesalite();
    const client = createKinesisClient({ endpoint: local.endpoint, credentials: localCredentials, maxAttempts: 1 });
    try {
      expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { StreamNames } = await client.send(new ListStreamsCommand({}));
      expect(StreamNames?.sort()).toEqual(['tributary-raw-accounts', 'tributary-raw-transactions', 'tributary-refined-accounts', 'tributary-refined-transactions']);
    } finally {
      client.destroy();
      await local.close();
    }
    expect(await canConnect(local.port)).toBe(false);
  });
});

describe('embedded kinesalite on a worker thread', () => {
  const serversHere = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

  it('serves the streams from another thread of this process, round-trips a record, and stops on close()', async () => {
    const before = serversHere();
    const local = await startEmbeddedKinesis({ streams: ['bench-a', 'bench-b'], shardCount: 2 });
    const client = createKinesisClient({ endpoint: local.endpoint, credentials: localCredentials, maxAttempts: 1 });
    try {
      expect(local.thread).toBe('worker');
      expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // Its listening socket lives on the worker's event loop, not this one.
      expect(serversHere()).toBe(before);
      const { StreamNames } = await client.send(new ListStreamsCommand({}));
      expect(StreamNames?.sort()).toEqual(['bench-a', 'bench-b']);
      const put = await client.send(new PutRecordCommand({ StreamName: 'bench-a', PartitionKey: 'item-1', Data: Buffer.from('{"n":1}') }));
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: 'bench-a', ShardId: put.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
      const { Records } = await client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
      expect(Records?.map((r) => Buffer.from(r.Data!).toString())).toEqual(['{"n":1}']);
    } finally {
      client.destroy();
      await local.close();
    }
    expect(await canConnect(local.port)).toBe(false);
  });

  it('close() answers once the worker is gone, however it went, and twice over', async () => {
    const local = await startKinesaliteThread({ streams: ['x'] });
    await local.worker.terminate(); // died under the app
    expect(await canConnect(local.port)).toBe(false);
    await local.close();
    const again = await startKinesaliteThread({ streams: ['x'] });
    await Promise.all([again.close(), again.close()]);
    expect(await canConnect(again.port)).toBe(false);
  });

  it('the app forgets a kinesalite worker that died under it and starts a fresh one on the next use', async () => {
    const first = await getKinesis();
    try {
      const worker = (first.local as { worker?: { terminate(): Promise<number> } }).worker;
      expect(worker).toBeDefined();
      await worker!.terminate();
      const second = await getKinesis();
      expect(second).not.toBe(first);
      expect(await canConnect(second.local!.port)).toBe(true);
      const { StreamNames } = await second.client.send(new ListStreamsCommand({}));
      expect(StreamNames).toHaveLength(4);
    } finally {
      await closeKinesis();
    }
  });

  it('reports why it could not start (the port taken) instead of hanging', async () => {
    const taken = await startKinesalite({ streams: ['x'] });
    try {
      await expect(startKinesaliteThread({ port: taken.port, streams: ['x'] })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await taken.close();
    }
  });
});
