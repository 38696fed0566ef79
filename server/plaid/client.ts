import { Configuration, PlaidApi, PlaidEnvironments } from 'plaid';
import { type Env, env } from '../env';
import { processContainer } from '../process/container';

/** Credentials the app presents to its own emulator when none are configured. */
const EMULATOR_DEFAULT_CREDENTIALS = { clientId: 'tributary-emulator', secret: 'tributary-emulator-secret' };

/** Where the SDK sends requests: the emulator (mounted in the app, or standalone) or Plaid. */
export function plaidBasePath(e: Env): string {
  if (e.plaidEnv === 'emulator') return e.PLAID_EMULATOR_URL ?? `${e.appUrl}/api/plaid-emulator`;
  return PlaidEnvironments[e.plaidEnv]!;
}

export function createPlaidClient(opts: { basePath: string; clientId: string; secret: string; timeoutMs?: number }): PlaidApi {
  return new PlaidApi(
    new Configuration({
      basePath: opts.basePath,
      baseOptions: {
        timeout: opts.timeoutMs ?? 30_000,
        headers: { 'PLAID-CLIENT-ID': opts.clientId, 'PLAID-SECRET': opts.secret, 'Plaid-Version': '2020-09-14' },
      },
    }),
  );
}

export function plaidClientFor(e: Env): PlaidApi {
  const emulated = e.plaidEnv === 'emulator';
  return createPlaidClient({
    basePath: plaidBasePath(e),
    clientId: (emulated ? e.PLAID_EMULATOR_CLIENT_ID : e.PLAID_CLIENT_ID) ?? EMULATOR_DEFAULT_CREDENTIALS.clientId,
    secret: (emulated ? e.PLAID_EMULATOR_SECRET : e.PLAID_SECRET) ?? EMULATOR_DEFAULT_CREDENTIALS.secret,
  });
}

/** The process's Plaid client (the factory is the only place that knows the mode). */
export function plaid(): PlaidApi {
  const c = processContainer();
  c.plaid ??= plaidClientFor(env());
  return c.plaid;
}
