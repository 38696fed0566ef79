import { Configuration, PlaidApi } from 'plaid';
import { createEmulator } from '../../index';
import { MOUNT, startHarness, type Harness } from './harness-server';

/** One emulator mounted under the harness server, and an official SDK client pointed at it. */
export interface LinkFixture {
  harness: Harness;
  plaid: PlaidApi;
  close(): Promise<void>;
}

export async function startLinkFixture(): Promise<LinkFixture> {
  const emulator = createEmulator({ mountPath: MOUNT, seed: 'link-e2e', rateLimits: false });
  const harness = await startHarness((req) => emulator.handle(req));
  const plaid = new PlaidApi(new Configuration({
    basePath: harness.emulatorBase,
    baseOptions: { headers: { 'PLAID-CLIENT-ID': 'link-e2e', 'PLAID-SECRET': 'link-e2e-secret' } },
  }));
  return {
    harness,
    plaid,
    async close() {
      await harness.close();
      await emulator.close();
    },
  };
}
