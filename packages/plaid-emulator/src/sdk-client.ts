import { Configuration, PlaidApi } from 'plaid';

/**
 * An SDK client for an emulator URL. Its own module, re-exported by `./server` and `./testing`, so
 * a process that only talks to an emulator elsewhere (bench:sync's) does not load the emulator itself.
 */
export function plaidClient(url: string, headers: Record<string, string> = { 'PLAID-CLIENT-ID': 'x', 'PLAID-SECRET': 'y' }): PlaidApi {
  return new PlaidApi(new Configuration({ basePath: url, baseOptions: { headers } }));
}
