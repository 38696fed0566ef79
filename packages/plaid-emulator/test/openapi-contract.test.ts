import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Configuration, PlaidApi, Products, SandboxItemFireWebhookRequestWebhookCodeEnum as Code, WebhookType } from 'plaid';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../src/api/handler';
import { ITEM_ERROR_CODES } from '../src/core/item-state';
import { linkItem, startTestEmulator, startWebhookReceiver } from '../src/testing';

/**
 * The emulator against Plaid's own contract: `plaid-openapi.yml.gz` (OpenAPI 3.0, API version
 * 2020-09-14, the spec the `plaid` SDK is generated from). It is not ours to copy, so it is read
 * where it lives: $PLAID_OPENAPI_PATH, else `../shared/` beside the repository (CI), else
 * /work/shared. Missing → this test fails; it never skips.
 *
 * Every endpoint in the emulator's route table is called through the official SDK over HTTP; each
 * success body is validated against the endpoint's 200 schema and each error body against its
 * `default` (PlaidError) schema. Every webhook the emulator sends while the test walks the item
 * lifecycle is validated against the components schema for its webhook_type + webhook_code.
 */
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

function specPath(): string {
  const fromEnv = process.env.PLAID_OPENAPI_PATH;
  if (fromEnv && !existsSync(fromEnv)) throw new Error(`PLAID_OPENAPI_PATH=${fromEnv}: no such file (Plaid's OpenAPI contract, plaid-openapi.yml.gz)`);
  const candidates = [process.env.PLAID_OPENAPI_PATH, resolve(repoRoot, '../shared/plaid-openapi.yml.gz'), '/work/shared/plaid-openapi.yml.gz'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`Plaid's OpenAPI contract (plaid-openapi.yml.gz) was not found; looked at: ${candidates.join(', ')}. Set PLAID_OPENAPI_PATH to its location.`);
  }
  return found;
}

type Json = Record<string, unknown>;
interface Spec { paths: Record<string, { post?: { operationId: string; requestBody?: { content: Record<string, { schema: Json }> }; responses: Record<string, { content?: Record<string, { schema: Json }> }> } }>; components: { schemas: Record<string, Json> } }

const DOC = 'plaid.json';
const SKIP = new Set(['nullable', 'example', 'examples', 'discriminator', 'externalDocs', 'deprecated', 'readOnly', 'writeOnly', 'xml']);
const VERBATIM = new Set(['enum', 'default', 'required', 'const']);

/** OpenAPI 3.0 schema → JSON Schema (draft-07 as ajv reads it). */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const o = node as Json;
  if (typeof o.$ref === 'string') {
    // OpenAPI 3.0: siblings of $ref are ignored, except that we honour `nullable` on the wrapper.
    const ref = { $ref: o.$ref.startsWith('#') ? `${DOC}${o.$ref}` : o.$ref };
    return o.nullable === true ? { anyOf: [ref, { type: 'null' }] } : ref;
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('x-') || SKIP.has(k)) continue;
    if (k === 'properties' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([name, s]) => [name, toJsonSchema(s)]));
    } else if (VERBATIM.has(k)) {
      out[k] = v;
    } else {
      out[k] = toJsonSchema(v);
    }
  }
  if (o.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function collectFormats(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => collectFormats(n, into));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'format' && typeof v === 'string') into.add(v);
      else collectFormats(v, into);
    }
  }
  return into;
}

let spec: Spec;
let ajv: Ajv;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schema: Json): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(toJsonSchema(schema) as Json);
    compiled.set(key, v);
  }
  return v;
}
const componentValidator = (name: string) => {
  if (!spec.components.schemas[name]) throw new Error(`no components schema ${name} in the contract`);
  return validatorFor({ $ref: `#/components/schemas/${name}` });
};

const failures: string[] = [];
function check(label: string, v: ValidateFunction, body: unknown): void {
  if (!v(body)) failures.push(`${label}: ${ajv.errorsText(v.errors, { separator: '; ' })}\n    body: ${JSON.stringify(body).slice(0, 400)}`);
}

// ---------------------------------------------------------------------------------------------
// The emulator under test.

const CLIENT_ID = 'contract-client';
const SECRET = 'contract-secret';
let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let hooks2: Awaited<ReturnType<typeof startWebhookReceiver>>;
let plaid: PlaidApi;
let badKeys: PlaidApi;

const clientFor = (url: string, secret: string) =>
  new PlaidApi(new Configuration({ basePath: url, baseOptions: { headers: { 'PLAID-CLIENT-ID': CLIENT_ID, 'PLAID-SECRET': secret, 'Plaid-Version': '2020-09-14' } } }));

type Call = (sdk: PlaidApi) => Promise<{ data: unknown; status: number }>;
const sdkCall = (operationId: string, body: unknown): Call => (sdk) => (sdk as unknown as Record<string, (b: unknown) => Promise<{ data: unknown; status: number }>>)[operationId]!.call(sdk, body);

function operation(path: string) {
  const op = spec.paths[path]?.post;
  if (!op) throw new Error(`the contract has no POST ${path}`);
  const ok = op.responses['200']?.content?.['application/json']?.schema;
  const err = op.responses.default?.content?.['application/json']?.schema ?? { $ref: '#/components/schemas/PlaidError' };
  if (!ok) throw new Error(`the contract has no 200 schema for ${path}`);
  const reqRef = op.requestBody?.content['application/json']?.schema.$ref;
  const req = typeof reqRef === 'string' ? spec.components.schemas[reqRef.replace('#/components/schemas/', '')] : undefined;
  return { operationId: op.operationId, ok, err, takesAccessToken: ((req?.required as string[] | undefined) ?? []).includes('access_token') };
}

const validated = { success: new Map<string, number>(), error: new Map<string, number>() };
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

async function expectSuccess(path: string, body: unknown, label = path): Promise<Json> {
  const { operationId, ok } = operation(path);
  const res = await sdkCall(operationId, body)(plaid);
  expect(res.status, label).toBe(200);
  check(`${label} (200)`, validatorFor(ok), res.data);
  bump(validated.success, path);
  return res.data as Json;
}

async function expectError(path: string, body: unknown, code: string, sdk: PlaidApi = plaid, label = `${path} ${code}`): Promise<Json> {
  const { operationId, err } = operation(path);
  let data: Json | undefined;
  try {
    await sdkCall(operationId, body)(sdk);
  } catch (e) {
    const r = (e as { response?: { status: number; data: Json } }).response;
    if (!r) throw e;
    data = r.data;
    expect(r.status, label).toBeGreaterThanOrEqual(400);
  }
  expect(data, `${label}: expected the call to fail`).toBeDefined();
  expect(data?.error_code, label).toBe(code);
  check(`${label} (error)`, validatorFor(err), data);
  bump(validated.error, path);
  return data as Json;
}

const BAD_TOKEN = 'access-sandbox-00000000-0000-4000-8000-000000000000';
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  spec = parse(gunzipSync(readFileSync(specPath())).toString('utf8'), { maxAliasCount: -1 }) as Spec;
  ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  // Plaid's own formats (url, cognito_id, ...) are not checked; the standard ones are.
  for (const f of collectFormats(spec.components.schemas, new Set())) if (!ajv.formats[f]) ajv.addFormat(f, true);
  ajv.addSchema({ $id: DOC, components: { schemas: toJsonSchema(spec.components.schemas) } });

  hooks = await startWebhookReceiver();
  hooks2 = await startWebhookReceiver();
  emu = await startTestEmulator({ clientId: CLIENT_ID, secret: SECRET, rateLimits: false });
  plaid = clientFor(emu.url, SECRET);
  badKeys = clientFor(emu.url, 'wrong-secret');
}, 120_000);

afterAll(async () => {
  await emu?.close();
  await hooks?.close();
  await hooks2?.close();
});

/** A fresh item with every product the emulator serves, webhooks to the receiver. */
async function newItem(o: { username?: string; institution?: string; products?: Products[] } = {}) {
  const pt = await plaid.sandboxPublicTokenCreate({
    institution_id: o.institution ?? 'ins_109508',
    initial_products: o.products ?? [Products.Transactions, Products.Auth, Products.Identity, Products.Investments, Products.Liabilities],
    options: { webhook: hooks.url, override_username: o.username ?? 'user_good', override_password: 'pass_good' },
  });
  return (await plaid.itemPublicTokenExchange({ public_token: pt.data.public_token })).data;
}

/** Webhook schemas by `webhook_type:webhook_code`: every kind the emulator can send. */
const WEBHOOK_SCHEMAS: Record<string, string> = {
  'TRANSACTIONS:INITIAL_UPDATE': 'InitialUpdateWebhook',
  'TRANSACTIONS:HISTORICAL_UPDATE': 'HistoricalUpdateWebhook',
  'TRANSACTIONS:DEFAULT_UPDATE': 'DefaultUpdateWebhook',
  'TRANSACTIONS:TRANSACTIONS_REMOVED': 'TransactionsRemovedWebhook',
  'TRANSACTIONS:SYNC_UPDATES_AVAILABLE': 'SyncUpdatesAvailableWebhook',
  'TRANSACTIONS:RECURRING_TRANSACTIONS_UPDATE': 'RecurringTransactionsUpdateWebhook',
  'AUTH:DEFAULT_UPDATE': 'AuthDefaultUpdateWebhook',
  'HOLDINGS:DEFAULT_UPDATE': 'HoldingsDefaultUpdateWebhook',
  'INVESTMENTS_TRANSACTIONS:DEFAULT_UPDATE': 'InvestmentsDefaultUpdateWebhook',
  'LIABILITIES:DEFAULT_UPDATE': 'LiabilitiesDefaultUpdateWebhook',
  'ITEM:ERROR': 'ItemErrorWebhook',
  'ITEM:LOGIN_REPAIRED': 'ItemLoginRepairedWebhook',
  'ITEM:PENDING_EXPIRATION': 'PendingExpirationWebhook',
  'ITEM:PENDING_DISCONNECT': 'PendingDisconnectWebhook',
  'ITEM:USER_PERMISSION_REVOKED': 'UserPermissionRevokedWebhook',
  'ITEM:USER_ACCOUNT_REVOKED': 'UserAccountRevokedWebhook',
  'ITEM:NEW_ACCOUNTS_AVAILABLE': 'NewAccountsAvailableWebhook',
  'ITEM:WEBHOOK_UPDATE_ACKNOWLEDGED': 'WebhookUpdateAcknowledgedWebhook',
};

describe("the emulator against Plaid's OpenAPI contract", () => {
  it('converts OpenAPI 3.0 nullable, $ref and composition to JSON Schema', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, enum: ['a'], 'x-hidden': true })).toEqual({ type: ['string', 'null'], enum: ['a', null] });
    expect(toJsonSchema({ $ref: '#/components/schemas/X', nullable: true, description: 'd' })).toEqual({ anyOf: [{ $ref: `${DOC}#/components/schemas/X` }, { type: 'null' }] });
    expect(toJsonSchema({ allOf: [{ $ref: '#/components/schemas/Y' }], nullable: true })).toEqual({ anyOf: [{ allOf: [{ $ref: `${DOC}#/components/schemas/Y` }] }, { type: 'null' }] });
    expect(toJsonSchema({ type: 'object', properties: { example: { type: 'string' }, 'x-y': { type: 'number' } }, additionalProperties: false })).toEqual({ type: 'object', properties: { example: { type: 'string' }, 'x-y': { type: 'number' } }, additionalProperties: false });
    const v = componentValidator('PlaidError');
    expect(v({ error_type: 'ITEM_ERROR', error_code: 'X', error_message: 'm', display_message: null })).toBe(true);
    expect(v({ error_type: 'ITEM_ERROR', error_code: 'X', error_message: 'm' })).toBe(false);
  });

  it('validates every endpoint, every error and every webhook', async () => {
    const routes = Object.keys(ROUTES).sort();
    // Every served endpoint exists in the contract.
    for (const path of routes) operation(path);

    const item = await newItem();
    const token = item.access_token;
    const dynamic = await newItem({ username: 'user_transactions_dynamic' });
    const tartan = await newItem({ institution: 'ins_109511', products: [Products.Transactions] });
    const kid = emu.emulator.state.signingKeys[0]?.kid ?? '';

    // Successes, one or more per endpoint.
    await expectSuccess('/link/token/create', { client_name: 'Tributary', language: 'en', country_codes: ['US'], user: { client_user_id: 'u-1' }, products: [Products.Transactions], required_if_supported_products: [Products.Auth], webhook: hooks.url });
    await expectSuccess('/link/token/create', { client_name: 'Tributary', language: 'en', country_codes: ['US'], user: { client_user_id: 'u-1' }, access_token: token, update: { account_selection_enabled: true } }, '/link/token/create (update mode)');
    const pt = await expectSuccess('/sandbox/public_token/create', { institution_id: 'ins_109509', initial_products: [Products.Transactions], options: { webhook: hooks.url } });
    await expectSuccess('/item/public_token/exchange', { public_token: pt.public_token });
    await expectSuccess('/item/public_token/create', { access_token: token });
    const got = await expectSuccess('/item/get', { access_token: token });
    // The validators bite: a real body with a required field dropped, or a wrong type, fails.
    const itemGet = validatorFor(operation('/item/get').ok);
    const { item_id: _dropped, ...withoutId } = got.item as Json;
    expect(itemGet({ ...got, item: withoutId })).toBe(false);
    expect(itemGet({ ...got, item: { ...(got.item as Json), error: { error_code: 'X' } } })).toBe(false);
    expect(itemGet({ ...got, item: { ...(got.item as Json), webhook: 7 } })).toBe(false);
    await expectSuccess('/item/get', { access_token: tartan.access_token }, '/item/get (Tartan Bank)');
    await expectSuccess('/accounts/get', { access_token: token });
    await expectSuccess('/accounts/balance/get', { access_token: token, options: { min_last_updated_datetime: new Date(Date.now() - 60_000).toISOString() } });
    await expectSuccess('/auth/get', { access_token: token });
    await expectSuccess('/identity/get', { access_token: token });
    await expectSuccess('/transactions/sync', { access_token: token, count: 500 });
    await expectSuccess('/transactions/sync', { access_token: dynamic.access_token, options: { include_original_description: true } }, '/transactions/sync (dynamic)');
    await expectSuccess('/transactions/get', { access_token: token, start_date: daysAgo(90), end_date: today(), options: { count: 500, include_original_description: true } });
    await expectSuccess('/transactions/refresh', { access_token: dynamic.access_token });
    await expectSuccess('/transactions/sync', { access_token: dynamic.access_token }, '/transactions/sync (after refresh)');
    await expectSuccess('/transactions/refresh', { access_token: token }, '/transactions/refresh (static user)');
    await expectSuccess('/institutions/get', { count: 500, offset: 0, country_codes: ['US'], options: { include_optional_metadata: true } });
    await expectSuccess('/institutions/get_by_id', { institution_id: 'ins_132363', country_codes: ['US'], options: { include_optional_metadata: true, include_status: true } });
    await expectSuccess('/institutions/get_by_id', { institution_id: 'ins_109508', country_codes: ['US'], options: { include_status: true } }, '/institutions/get_by_id (healthy)');
    await expectSuccess('/institutions/search', { query: 'Platypus', products: [Products.Transactions], country_codes: ['US'], options: { include_optional_metadata: true } });
    await expectSuccess('/webhook_verification_key/get', { key_id: kid });

    // fire_webhook: every code with the types it takes; the rest must fail as Plaid's sandbox does.
    const fires: [Code, WebhookType | undefined][] = [
      [Code.DefaultUpdate, undefined], [Code.DefaultUpdate, WebhookType.Auth], [Code.DefaultUpdate, WebhookType.Holdings],
      [Code.DefaultUpdate, WebhookType.InvestmentsTransactions], [Code.DefaultUpdate, WebhookType.Liabilities],
      [Code.SyncUpdatesAvailable, WebhookType.Transactions], [Code.RecurringTransactionsUpdate, undefined],
      [Code.NewAccountsAvailable, WebhookType.Item], [Code.PendingDisconnect, undefined], [Code.UserAccountRevoked, undefined],
      [Code.Error, WebhookType.Item], [Code.LoginRepaired, WebhookType.Item],
    ];
    for (const [code, type] of fires) {
      await expectSuccess('/sandbox/item/fire_webhook', { access_token: token, webhook_code: code, ...(type ? { webhook_type: type } : {}) }, `/sandbox/item/fire_webhook ${type ?? ''} ${code}`);
    }
    for (const code of [Code.ProductReady, Code.SmsMicrodepositsVerification, Code.AuthorizationGranted]) {
      await expectError('/sandbox/item/fire_webhook', { access_token: token, webhook_code: code }, 'SANDBOX_PRODUCT_NOT_ENABLED');
    }
    await expectError('/sandbox/item/fire_webhook', { access_token: tartan.access_token, webhook_code: Code.DefaultUpdate, webhook_type: WebhookType.Auth }, 'SANDBOX_PRODUCT_NOT_ENABLED', plaid, 'fire_webhook AUTH on an item without auth');
    await expectSuccess('/item/get', { access_token: token }, '/item/get (after the fired webhooks)');

    // The item lifecycle through the controls: every item error shows in /item/get and fails calls.
    const victim = await newItem();
    for (const code of ITEM_ERROR_CODES) {
      emu.emulator.controls.setItemError(victim.access_token, code);
      if (code !== 'ITEM_NOT_FOUND') await expectSuccess('/item/get', { access_token: victim.access_token }, `/item/get (${code})`);
      const path = code === 'NO_AUTH_ACCOUNTS' || code === 'PRODUCT_NOT_READY' ? '/auth/get' : code === 'ITEM_NOT_FOUND' ? '/item/get' : '/accounts/get';
      await expectError(path, { access_token: victim.access_token }, code);
      emu.emulator.controls.clearItemError(victim.access_token);
    }
    emu.emulator.controls.setItemError(victim.access_token, 'ITEM_LOGIN_REQUIRED');
    emu.emulator.controls.clearItemError(victim.access_token); // → LOGIN_REPAIRED
    for (const code of ['PENDING_EXPIRATION', 'PENDING_DISCONNECT'] as const) emu.emulator.controls.setItemError(victim.access_token, code);
    await expectSuccess('/item/get', { access_token: victim.access_token }, '/item/get (pending expiration)');
    await expectError('/auth/get', { access_token: tartan.access_token }, 'NO_AUTH_ACCOUNTS', plaid, '/auth/get at Tartan Bank');
    await expectSuccess('/sandbox/item/fire_webhook', { access_token: victim.access_token, webhook_code: Code.UserPermissionRevoked }, '/sandbox/item/fire_webhook USER_PERMISSION_REVOKED');
    await expectError('/transactions/sync', { access_token: victim.access_token }, 'USER_PERMISSION_REVOKED');
    await expectSuccess('/sandbox/item/reset_login', { access_token: item.access_token });
    await expectError('/transactions/get', { access_token: item.access_token, start_date: daysAgo(30), end_date: today() }, 'ITEM_LOGIN_REQUIRED');

    // Webhook update: acknowledged at the new URL.
    await expectSuccess('/item/webhook/update', { access_token: dynamic.access_token, webhook: hooks2.url });
    emu.emulator.controls.injectFault({ endpoint: '/accounts/get', http_status: 429 });
    await expectError('/accounts/get', { access_token: dynamic.access_token }, 'ACCOUNTS_LIMIT');
    emu.emulator.controls.injectFault({ endpoint: '/item/get', http_status: 500 });
    await expectError('/item/get', { access_token: dynamic.access_token }, 'INTERNAL_SERVER_ERROR');
    await expectSuccess('/item/remove', { access_token: (await newItem()).access_token });

    // Errors on every endpoint: wrong API keys, and a bad access token where one is taken.
    for (const path of routes) {
      await expectError(path, {}, 'INVALID_API_KEYS', badKeys, `${path} with wrong keys`);
      if (operation(path).takesAccessToken) {
        const extra = path === '/transactions/get' ? { start_date: daysAgo(1), end_date: today() } : path === '/sandbox/item/fire_webhook' ? { webhook_code: Code.DefaultUpdate } : path === '/item/webhook/update' ? { webhook: hooks.url } : {};
        await expectError(path, { access_token: BAD_TOKEN, ...extra }, 'INVALID_ACCESS_TOKEN');
      }
    }
    await expectError('/item/public_token/exchange', { public_token: 'public-sandbox-00000000-0000-4000-8000-000000000000' }, 'INVALID_PUBLIC_TOKEN');
    await expectError('/institutions/get_by_id', { institution_id: 'ins_nope', country_codes: ['US'] }, 'INVALID_INSTITUTION');
    await expectError('/webhook_verification_key/get', { key_id: 'nope' }, 'INVALID_WEBHOOK_VERIFICATION_KEY_ID');
    await expectError('/link/token/create', { client_name: 'T', language: 'en', country_codes: ['US'], user: { client_user_id: 'u' }, products: [Products.Balance] }, 'INVALID_PRODUCT');

    // Webhooks: everything the walk above made the emulator send.
    await emu.emulator.controls.settleWebhooks();
    const received = [...hooks.received, ...hooks2.received];
    const seen = new Map<string, number>();
    for (const r of received) {
      const kind = `${String(r.json.webhook_type)}:${String(r.json.webhook_code)}`;
      const schema = WEBHOOK_SCHEMAS[kind];
      if (!schema) {
        failures.push(`webhook ${kind} has no contract schema mapped`);
        continue;
      }
      check(`webhook ${kind} (${schema})`, componentValidator(schema), r.json);
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
    }
    expect(hooks2.received.map((r) => r.json.webhook_code)).toContain('WEBHOOK_UPDATE_ACKNOWLEDGED');

    const successes = [...validated.success.values()].reduce((a, b) => a + b, 0);
    const errors = [...validated.error.values()].reduce((a, b) => a + b, 0);
    console.log(`OpenAPI contract: ${validated.success.size}/${routes.length} endpoints validated (${successes} success bodies, ${errors} error bodies), ${received.length} webhooks of ${seen.size} kinds validated`);

    expect(failures, `contract violations:\n${failures.join('\n')}`).toEqual([]);
    expect([...validated.success.keys()].sort(), 'every endpoint has a validated success').toEqual(routes);
    expect([...validated.error.keys()].sort(), 'every endpoint has a validated error').toEqual(routes);
    expect([...seen.keys()].sort(), 'every webhook kind the emulator sends was exercised').toEqual(Object.keys(WEBHOOK_SCHEMAS).sort());
  }, 120_000);
});
