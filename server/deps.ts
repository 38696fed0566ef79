import type { PlaidApi } from 'plaid';
import { type Keyring, keyring } from './crypto';
import { env } from './env';
import type { AppEvent } from './events';
import { plaid } from './plaid/client';
import { processContainer } from './process/container';

export type { AppEvent } from './events';
/** Sends events to the durable functions (Inngest, or the embedded runner). */
export type SendEvents = (events: AppEvent[]) => Promise<void>;

export interface AppConfig {
  plaidEnv: 'emulator' | 'sandbox' | 'production';
  webhookUrl: string;
  redirectUri: string | null;
  clientName: string;
}

/**
 * What domain services need besides the database. The process provides real singletons; tests
 * pass a Plaid client pointed at the emulator, a throwaway keyring and a recording `send`.
 */
export interface AppDeps {
  plaid: PlaidApi;
  keyring: Keyring;
  send: SendEvents;
  config: AppConfig;
}

/** Installed at start-up by the Inngest client module (embedded runner or Inngest Cloud). */
export function setEventSender(send: SendEvents) {
  processContainer().send = send;
}

export function processDeps(): AppDeps {
  const e = env();
  return {
    plaid: plaid(),
    keyring: keyring(),
    send: (events) => {
      const { send } = processContainer();
      if (!send) throw new Error('No event sender installed (the Inngest client was not started)');
      return send(events);
    },
    config: {
      plaidEnv: e.plaidEnv,
      webhookUrl: e.plaidWebhookUrl,
      redirectUri: e.plaidRedirectUri,
      clientName: 'Tributary',
    },
  };
}
