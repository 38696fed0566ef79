import { z } from 'zod';
import { ItemWithConsentFieldsUpdateTypeEnum, Products, SandboxItemFireWebhookRequestWebhookCodeEnum as Code, TransactionsUpdateStatus, WebhookType, type ItemGetResponse, type ItemRemoveResponse, type ItemWebhookUpdateResponse, type SandboxItemFireWebhookResponse, type SandboxItemResetLoginResponse } from 'plaid';
import { invalidField, plaidError } from '../../core/errors';
import type { Ctx } from '../../core/context';
import { addNewAccount, clearItemError, revokeAccount, setItemError } from '../../core/item-state';
import { useItem } from '../../core/items';
import type { ItemRecord } from '../../core/state';
import { sendWebhook, type WebhookPayload } from '../../core/webhooks';
import { route, toItem } from './route';

/** Item endpoints and the sandbox item controls that are part of Plaid's own API. */
const token = z.strictObject({ access_token: z.string() });
const webhookUrl = z.string().refine((u) => /^https?:\/\/[^\s]+$/.test(u), 'webhook must be an http(s) URL');

export const itemRoutes = {
  '/item/get': route(token, (ctx, input, meta): ItemGetResponse => {
    const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint });
    return {
      item: { ...toItem(item), update_type: ItemWithConsentFieldsUpdateTypeEnum.Background, created_at: new Date(item.createdAt).toISOString() },
      status: {
        transactions: { last_successful_update: item.lastSuccessfulUpdate, last_failed_update: null },
        last_webhook: item.lastWebhook ? { sent_at: item.lastWebhook.sentAt, code_sent: item.lastWebhook.code } : null,
      },
      request_id: meta.requestId,
    };
  }),

  '/item/remove': route(
    z.strictObject({ access_token: z.string(), reason_code: z.string().nullish(), reason_note: z.string().max(512).nullish() }),
    (ctx, input, meta): ItemRemoveResponse => {
      const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint });
      item.removed = true;
      // Drop what the item held; keep the record so the old token answers ITEM_NOT_FOUND.
      item.log = [];
      item.unreleased = { initial: [], historical: [] };
      ctx.dropIndexes();
      ctx.changed();
      return { request_id: meta.requestId };
    },
  ),

  '/item/webhook/update': route(z.strictObject({ access_token: z.string(), webhook: webhookUrl.nullish() }), (ctx, input, meta): ItemWebhookUpdateResponse => {
    const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint });
    item.webhook = input.webhook ?? null;
    ctx.changed();
    if (item.webhook) {
      sendWebhook(ctx, item, { webhook_type: 'ITEM', webhook_code: 'WEBHOOK_UPDATE_ACKNOWLEDGED', new_webhook_url: item.webhook, error: null });
    }
    return { item: toItem(item), request_id: meta.requestId };
  }),

  '/sandbox/item/reset_login': route(token, (ctx, input, meta): SandboxItemResetLoginResponse => {
    const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint });
    setItemError(ctx, item, 'ITEM_LOGIN_REQUIRED');
    return { reset_login: true, request_id: meta.requestId };
  }),

  '/sandbox/item/fire_webhook': route(
    z.strictObject({ access_token: z.string(), webhook_type: z.enum(WebhookType).optional(), webhook_code: z.enum(Code) }),
    (ctx, input, meta): SandboxItemFireWebhookResponse => {
      const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint });
      if (!item.webhook) throw plaidError('SANDBOX_WEBHOOK_INVALID');
      fire(ctx, item, input.webhook_code, input.webhook_type);
      return { webhook_fired: true, request_id: meta.requestId };
    },
  ),
};

/**
 * /sandbox/item/fire_webhook as Plaid's sandbox does it: the webhook fires, and where the event
 * changes the item in real Plaid, the emulated item changes too (see `core/item-state.ts`).
 * A product the item lacks → SANDBOX_PRODUCT_NOT_ENABLED; a type that does not go with the code → INVALID_FIELD.
 */
function fire(ctx: Ctx, item: ItemRecord, code: Code, type: WebhookType | undefined): void {
  const has = (...ps: Products[]) => {
    if (!ps.some((p) => item.products.includes(p) || (item.optionalProducts ?? []).includes(p))) throw plaidError('SANDBOX_PRODUCT_NOT_ENABLED', `the item has none of: ${ps.join(', ')}`);
  };
  const only = (...types: WebhookType[]) => {
    if (type && !types.includes(type)) throw invalidField(`webhook_code ${code} is not supported for webhook_type ${type}`);
  };
  const send = (payload: WebhookPayload) => sendWebhook(ctx, item, payload);
  const accountIds = item.accounts.map((a) => a.account.account_id);
  switch (code) {
    case Code.DefaultUpdate: {
      const t = type ?? WebhookType.Transactions;
      if (t === WebhookType.Transactions) {
        has(Products.Transactions);
        return void send({ webhook_type: t, webhook_code: code, new_transactions: 0, error: null });
      }
      if (t === WebhookType.Auth) {
        has(Products.Auth);
        // As when a bank renumbers: the first numbered account gets a new account number
        // (same mask), which /auth/get returns from now on.
        const renumbered = item.accounts.find((a) => a.numbers);
        if (renumbered?.numbers) {
          const old = renumbered.numbers.account;
          const head = String((Number(old.slice(0, 4)) + 1111) % 10_000).padStart(4, '0');
          renumbered.numbers = { ...renumbered.numbers, account: head + old.slice(4) };
        }
        const updated = renumbered ? { [renumbered.account.account_id]: ['ACCOUNT_NUMBER'] } : {};
        return void send({ webhook_type: t, webhook_code: code, account_ids_with_new_auth: [], account_ids_with_updated_auth: updated, error: null });
      }
      if (t === WebhookType.Holdings) {
        has(Products.Investments);
        return void send({ webhook_type: t, webhook_code: code, new_holdings: 0, updated_holdings: 0, error: null });
      }
      if (t === WebhookType.InvestmentsTransactions) {
        has(Products.Investments);
        return void send({ webhook_type: t, webhook_code: code, new_investments_transactions: 0, cancelled_investments_transactions: 0, error: null });
      }
      if (t === WebhookType.Liabilities) {
        has(Products.Liabilities);
        return void send({ webhook_type: t, webhook_code: code, account_ids_with_new_liabilities: [], account_ids_with_updated_liabilities: {}, error: null });
      }
      throw invalidField(`webhook_code ${code} is not supported for webhook_type ${t}`);
    }
    case Code.SyncUpdatesAvailable:
      only(WebhookType.Transactions);
      has(Products.Transactions);
      return void send({
        webhook_type: 'TRANSACTIONS', webhook_code: code,
        initial_update_complete: item.updateStatus !== TransactionsUpdateStatus.NotReady,
        historical_update_complete: item.updateStatus === TransactionsUpdateStatus.HistoricalUpdateComplete,
      });
    case Code.RecurringTransactionsUpdate:
      only(WebhookType.Transactions);
      has(Products.Transactions, Products.RecurringTransactions);
      return void send({ webhook_type: 'TRANSACTIONS', webhook_code: code, account_ids: accountIds });
    case Code.NewAccountsAvailable:
      only(WebhookType.Item);
      addNewAccount(ctx, item);
      return void send({ webhook_type: 'ITEM', webhook_code: code, error: null });
    case Code.LoginRepaired:
      only(WebhookType.Item);
      if (item.error?.error_code === 'ITEM_LOGIN_REQUIRED') clearItemError(ctx, item, { webhook: false });
      return void send({ webhook_type: 'ITEM', webhook_code: code });
    case Code.UserPermissionRevoked:
      only(WebhookType.Item);
      return setItemError(ctx, item, 'USER_PERMISSION_REVOKED');
    case Code.UserAccountRevoked: {
      only(WebhookType.Item);
      const accountId = revokeAccount(ctx, item);
      return void send({ webhook_type: 'ITEM', webhook_code: code, account_id: accountId ?? '' });
    }
    case Code.PendingDisconnect:
      only(WebhookType.Item);
      return setItemError(ctx, item, 'PENDING_DISCONNECT');
    case Code.Error:
      if (type === WebhookType.Assets) break;
      only(WebhookType.Item);
      // Plaid's sandbox puts the item into ITEM_LOGIN_REQUIRED, as /sandbox/item/reset_login does.
      return setItemError(ctx, item, 'ITEM_LOGIN_REQUIRED');
    case Code.ProductReady:
      only(WebhookType.Assets);
      break;
    case Code.SmsMicrodepositsVerification:
    case Code.AuthorizationGranted:
      break;
  }
  // Asset reports, micro-deposit and transfer items are not emulated: no item has those products.
  throw plaidError('SANDBOX_PRODUCT_NOT_ENABLED', `${code} needs a product the emulator does not offer`);
}
