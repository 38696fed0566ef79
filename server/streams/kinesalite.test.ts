import { createConnection } from 'node:net';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { setEnvForTests } from '../../test/support/env';
import { startKinesalite } from './kinesalite';
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
