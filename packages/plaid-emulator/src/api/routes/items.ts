import { z } from 'zod';
import { ItemWithConsentFieldsUpdateTypeEnum, SandboxItemFireWebhookRequestWebhookCodeEnum as Code, TransactionsUpdateStatus, WebhookType, type ItemGetResponse, type ItemRemoveResponse, type ItemWebhookUpdateResponse, type SandboxItemFireWebhookResponse, type SandboxItemResetLoginResponse } from 'plaid';
import { invalidField, plaidError } from '../../core/errors';
import { useItem } from '../../core/items';
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
    item.error = plaidError('ITEM_LOGIN_REQUIRED').toBody(meta.requestId);
    ctx.changed();
    sendWebhook(ctx, item, { webhook_type: 'ITEM', webhook_code: 'ERROR', error: { ...item.error, status: 400 } });
    return { reset_login: true, request_id: meta.requestId };
  }),

  '/sandbox/item/fire_webhook': route(
    z.strictObject({ access_token: z.string(), webhook_type: z.enum(WebhookType).optional(), webhook_code: z.enum(Code) }),
    (ctx, input, meta): SandboxItemFireWebhookResponse => {
      const item = useItem(ctx, input.access_token, { endpoint: meta.endpoint });
      if (!item.webhook) throw plaidError('SANDBOX_WEBHOOK_INVALID');
      const payload = firePayload(input.webhook_code, input.webhook_type, item.updateStatus, ctx.nowMs());
      if (!payload) throw invalidField(`webhook_code ${input.webhook_code} is not supported for webhook_type ${input.webhook_type ?? '(default)'}`);
      sendWebhook(ctx, item, payload);
      return { webhook_fired: true, request_id: meta.requestId };
    },
  ),
};

function firePayload(code: Code, type: WebhookType | undefined, status: TransactionsUpdateStatus, now: number): WebhookPayload | null {
  const item = (extra: Record<string, unknown> = {}): WebhookPayload | null =>
    !type || type === WebhookType.Item ? { webhook_type: 'ITEM', webhook_code: code, ...extra } : null;
  const tx = (extra: Record<string, unknown>): WebhookPayload | null =>
    !type || type === WebhookType.Transactions ? { webhook_type: 'TRANSACTIONS', webhook_code: code, ...extra } : null;
  const revoked = (c: string) => ({ error: { error_type: 'ITEM_ERROR', error_code: c, error_message: 'the user revoked access', display_message: null, status: 400 } });
  switch (code) {
    case Code.DefaultUpdate: return tx({ new_transactions: 0, error: null });
    case Code.SyncUpdatesAvailable: return tx({ initial_update_complete: status !== TransactionsUpdateStatus.NotReady, historical_update_complete: status === TransactionsUpdateStatus.HistoricalUpdateComplete });
    case Code.RecurringTransactionsUpdate: return tx({ account_ids: [] });
    case Code.NewAccountsAvailable: return item();
    case Code.LoginRepaired: return item();
    case Code.UserPermissionRevoked: return item(revoked('USER_PERMISSION_REVOKED'));
    case Code.UserAccountRevoked: return item({ account_id: null, ...revoked('USER_ACCOUNT_REVOKED') });
    case Code.PendingDisconnect: return item({ reason: 'INSTITUTION_MIGRATION', disconnect_time: new Date(now + 7 * 86_400_000).toISOString() });
    case Code.Error: return item({ error: { error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED', error_message: 'login required', display_message: null, status: 400 } });
    case Code.ProductReady: return type === WebhookType.Item || !type ? null : { webhook_type: type, webhook_code: code, error: null };
    default: return type ? { webhook_type: type, webhook_code: code } : null;
  }
}
