import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PlaidApi, Products } from 'plaid';
import { plaidClient } from './sdk-client';
import { startEmulatorServer, type EmulatorServer } from './server';
import type { EmulatorOptions } from './core/context';

/**
 * Test helpers: an emulator on 127.0.0.1:0 with an SDK client, sandbox linking, a webhook
 * receiver, and the state helpers tests compare a database against.
 */
export { plaidClient };
export { buildIndex, type ItemIndex, type ItemRecord, type StateData } from './core/state';
export type { Fault, FaultInput } from './core/faults';
export { ITEM_STATE_CODES, type ItemStateCode } from './core/item-state';
import type { ItemStateCode } from './core/item-state';

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<EmulatorServer & { plaid: PlaidApi }> {
  const server = await startEmulatorServer({ port: 0, initialUpdateDelayMs: 0, historicalUpdateDelayMs: 0, webhookTimeScale: 0.0001, ...options });
  return { ...server, plaid: plaidClient(server.url) };
}

/** Links an item through /sandbox/public_token/create + exchange. */
export async function linkItem(plaid: PlaidApi, o: { webhook?: string; username?: string; password?: string; institution?: string; days?: number } = {}) {
  const pt = await plaid.sandboxPublicTokenCreate({
    institution_id: o.institution ?? 'ins_109508',
    initial_products: [Products.Transactions, Products.Auth, Products.Identity],
    options: {
      ...(o.webhook ? { webhook: o.webhook } : {}),
      override_username: o.username ?? 'user_good',
      override_password: o.password ?? 'pass_good',
      ...(o.days ? { transactions: { days_requested: o.days } } : {}),
    },
  });
  const ex = await plaid.itemPublicTokenExchange({ public_token: pt.data.public_token });
  return ex.data;
}

export interface Received { body: string; headers: IncomingMessage['headers']; json: Record<string, unknown> }

/** Records every POST; `status` decides the answer (default 200). */
export async function startWebhookReceiver(status: (r: Received, all: Received[]) => number = () => 200) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r: Received = { body, headers: req.headers, json: JSON.parse(body) as Record<string, unknown> };
      received.push(r);
      res.writeHead(status(r, received)).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    codes: () => received.map((r) => `${String(r.json.webhook_type)}:${String(r.json.webhook_code)}`),
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

/** The axios error an SDK call failed with, for asserting status and error_code. */
export async function plaidFailure(p: Promise<unknown>): Promise<{ status: number; code: string; type: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { response?: { status: number; data: { error_code: string; error_type: string; error_message: string } } };
    if (!err.response) throw e;
    return { status: err.response.status, code: err.response.data.error_code, type: err.response.data.error_type, message: err.response.data.error_message };
  }
  throw new Error('expected the Plaid call to fail');
}

export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Item states over HTTP (any emulator URL, mounted or not): puts an item into an item error or a
 * PENDING_EXPIRATION / PENDING_DISCONNECT deadline (`POST /emulator/items/error`), or repairs it
 * outside the app (`POST /emulator/items/clear_error`, LOGIN_REPAIRED after ITEM_LOGIN_REQUIRED).
 */
export async function setItemError(
  emulatorUrl: string,
  item: { item_id?: string; access_token?: string },
  errorCode: ItemStateCode,
  options: { webhook?: boolean; days?: number } = {},
): Promise<{ error: Record<string, unknown> | null; consent_expiration_time: string | null; disconnect_at: string | null }> {
  return control(emulatorUrl, '/items/error', { ...item, error_code: errorCode, ...options });
}

export async function clearItemError(emulatorUrl: string, item: { item_id?: string; access_token?: string }, options: { webhook?: boolean } = {}): Promise<{ cleared: string | null }> {
  return control(emulatorUrl, '/items/clear_error', { ...item, ...options });
}

async function control<T>(emulatorUrl: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${emulatorUrl.replace(/\/+$/, '')}/emulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as T & { error_code?: string; error_message?: string };
  if (!res.ok) throw new Error(`emulator control ${path} failed: ${json.error_code ?? res.status} ${json.error_message ?? ''}`);
  return json;
}
