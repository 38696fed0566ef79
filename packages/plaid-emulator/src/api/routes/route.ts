import type { z } from 'zod';
import type { AccountBase, Item } from 'plaid';
import { ItemUpdateTypeEnum } from 'plaid';
import type { Ctx } from '../../core/context';
import { invalidField } from '../../core/errors';
import { findInstitution } from '../../core/institutions';
import type { ItemRecord } from '../../core/state';

/**
 * A Plaid endpoint: a strict zod schema for its body (credentials already taken out) and a
 * handler whose return type is the SDK's `*Response` type, so the compiler checks the contract.
 */
export interface RouteMeta { requestId: string; endpoint: string }

export interface Route {
  schema: z.ZodType;
  handle(ctx: Ctx, input: unknown, meta: RouteMeta): unknown;
}

export function route<S extends z.ZodType, R extends { request_id: string }>(
  schema: S,
  handle: (ctx: Ctx, input: z.output<S>, meta: RouteMeta) => R | Promise<R>,
): Route {
  return { schema, handle: handle as Route['handle'] };
}

export function toItem(item: ItemRecord): Item {
  const inst = findInstitution(item.institutionId);
  const products = [...item.products, ...(item.optionalProducts ?? []).filter((p) => !item.products.includes(p))];
  return {
    item_id: item.itemId,
    institution_id: item.institutionId,
    institution_name: inst?.name ?? null,
    webhook: item.webhook,
    auth_method: null,
    error: item.error,
    available_products: (inst?.products ?? []).filter((p) => !products.includes(p)),
    billed_products: item.products,
    products,
    consented_products: products,
    consent_expiration_time: item.consentExpiration,
    update_type: ItemUpdateTypeEnum.Background,
  };
}

/** The item's accounts, optionally narrowed to `accountIds` (unknown ids → INVALID_FIELD). */
export function accountsOf(item: ItemRecord, accountIds?: string[]): AccountBase[] {
  const all = item.accounts.map((a) => a.account);
  if (!accountIds) return all;
  const known = new Set(all.map((a) => a.account_id));
  const unknown = accountIds.filter((id) => !known.has(id));
  if (unknown.length > 0) throw invalidField(`account_ids contains unknown ids: ${unknown.join(', ')}`);
  return all.filter((a) => accountIds.includes(a.account_id));
}
