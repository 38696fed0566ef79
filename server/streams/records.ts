import { hash } from 'node:crypto';
import type { StreamKind } from '../../db/schema/outbox';
import { currencyExponent, plaidAmountToMoney, toMinorUnits, UNOFFICIAL_EXPONENT } from './money';
import {
  plaidAccountInput, plaidRemovedAccountInput, plaidRemovedTransactionInput, plaidTransactionInput,
  type PlaidAccountInput, type PlaidRemovedAccountInput, type PlaidRemovedTransactionInput, type PlaidTransactionInput,
} from './plaid-input';
import {
  type ChangeType, type ItemChangeType, type ItemRecord, type RawRecord, REFINED_SCHEMA_VERSION, type RefinedAccount,
  type RefinedTransaction,
} from './refined-schema';
import { withoutSecrets } from './sanitize';

/** One row for stream_outbox: what appendToOutbox takes. */
export interface OutboxRecord<P = unknown> {
  stream: StreamKind;
  /** Tributary's item id: the partition key. */
  itemId: string;
  recordId: string;
  payload: P;
  /** The payload as JSON (no `sequence`), when the builder serialised it already: see sequencedJson. */
  text?: string;
}

export interface RecordContext {
  userId: string;
  itemId: string;
  /** When the sync received the page from Plaid. */
  receivedAt: Date;
  institution?: { id: string | null; name: string | null };
  /**
   * What the page was fetched with, e.g. the /transactions/sync cursor. Optional, but it keeps
   * record ids distinct when content flips back to an earlier state (A → B → A → B).
   */
  sourceVersion?: string;
}

/**
 * One change of a transaction: what a sync page, a webhook or the change log says happened, with
 * the row's version after it.
 */
export type TransactionChange =
  | { changeType: 'added' | 'modified'; transaction: PlaidTransactionInput; version: number }
  | { changeType: 'removed'; transaction: PlaidRemovedTransactionInput; postedTransactionId?: string | null; version: number };
export type AccountChange =
  | { changeType: 'added' | 'modified'; account: PlaidAccountInput; version: number }
  | { changeType: 'removed'; account: PlaidRemovedAccountInput; version: number };

/** A record as built: appendToOutbox adds its `sequence`. */
export type Unsequenced<T> = T extends unknown ? Omit<T, 'sequence'> : never;

/** JSON with object keys sorted, so the same content always hashes the same. (Hot: every change, built with += on purpose.) */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const child = record[key];
    if (child === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(child)}`;
    first = false;
  }
  return `${out}}`;
}

const sha256 = (text: string) => hash('sha256', text);

/**
 * The sanitized content of a Plaid object, canonicalised once (the sync's and the publisher's
 * hottest path): the raw and the refined record of a change hash the same content, and the raw
 * record embeds the canonical text instead of serialising the object again.
 */
interface Content { clean: unknown; canonical: string; hashedWith?: string; hash?: string }
const contentCache = new WeakMap<object, Content>();
function contentOf(plaid: object): Content {
  let content = contentCache.get(plaid);
  if (!content) {
    const clean = withoutSecrets(plaid);
    content = { clean, canonical: canonicalJson(clean) };
    contentCache.set(plaid, content);
  }
  return content;
}

/** sha256 of the content and what it was fetched with; the raw and the refined record share it. */
function contentHash(content: Content, sourceVersion: string | undefined): string {
  const key = sourceVersion ?? '';
  if (content.hash === undefined || content.hashedWith !== key) {
    content.hash = sha256(content.canonical + (sourceVersion ? `\n${sourceVersion}` : ''));
    content.hashedWith = key;
  }
  return content.hash;
}

/** sha256(stream kind, entity id, change type, content, entity version): the consumer's dedupe key. */
function recordIdOf(stream: StreamKind, entityId: string, changeType: ChangeType, content: Content, sourceVersion: string | undefined, version: number): string {
  return sha256(`${stream}\n${entityId}\n${changeType}\n${contentHash(content, sourceVersion)}\n${version}`);
}

function rawRecordOf(stream: StreamKind, entity: RawRecord['entity'], entityId: string, changeType: ChangeType, plaid: object, ctx: RecordContext, version: number): OutboxRecord<Unsequenced<RawRecord>> {
  const content = contentOf(plaid);
  const recordId = recordIdOf(stream, entityId, changeType, content, ctx.sourceVersion, version);
  const head = {
    schemaVersion: REFINED_SCHEMA_VERSION, recordId, entity, changeType,
    userId: ctx.userId, itemId: ctx.itemId, receivedAt: ctx.receivedAt.toISOString(), version,
  };
  const payload: Unsequenced<RawRecord> = { ...head, plaid: content.clean as Record<string, unknown> };
  // The envelope serialised, then Plaid's object as the canonical text already made for the id.
  return { stream, itemId: ctx.itemId, recordId, payload, text: `${JSON.stringify(head).slice(0, -1)},"plaid":${content.canonical}}` };
}

function envelope(stream: StreamKind, entityId: string, changeType: ChangeType, plaid: object, ctx: RecordContext, version: number) {
  const recordId = recordIdOf(stream, entityId, changeType, contentOf(plaid), ctx.sourceVersion, version);
  return {
    schemaVersion: REFINED_SCHEMA_VERSION, recordId, userId: ctx.userId, itemId: ctx.itemId,
    institution: ctx.institution ?? { id: null, name: null }, receivedAt: ctx.receivedAt.toISOString(), version,
  };
}

/**
 * A record's JSON as sent and stored: its payload with `sequence` added. Uses the text the builder
 * made when it has one (the payload is not serialised twice).
 */
export function sequencedJson(record: OutboxRecord, sequence: number): string {
  const text = record.text ?? JSON.stringify(record.payload);
  return text === '{}' ? `{"sequence":${sequence}}` : `${text.slice(0, -1)},"sequence":${sequence}}`;
}

/** The raw-transactions record for one added, modified or removed Plaid transaction. */
export function rawTransactionRecord(ctx: RecordContext & TransactionChange): OutboxRecord<Unsequenced<RawRecord>> {
  return rawRecordOf('raw-transactions', 'transaction', ctx.transaction.transaction_id, ctx.changeType, ctx.transaction, ctx, ctx.version);
}

/** The raw-accounts record for one Plaid account (as /accounts/get or /transactions/sync gave it). */
export function rawAccountRecord(ctx: RecordContext & AccountChange): OutboxRecord<Unsequenced<RawRecord>> {
  return rawRecordOf('raw-accounts', 'account', ctx.account.account_id, ctx.changeType, ctx.account, ctx, ctx.version);
}

/**
 * The refined-transactions record (schema v1) for one change. Plaid's object is parsed here, where
 * it enters the rendering; the record is built from the parsed, typed values, so it is not parsed a
 * second time on this hot path (records.test.ts checks the builders' output against the schema).
 */
export function refinedTransactionRecord(ctx: RecordContext & TransactionChange): OutboxRecord<Unsequenced<RefinedTransaction>> {
  const base = { ...envelope('refined-transactions', ctx.transaction.transaction_id, ctx.changeType, ctx.transaction, ctx, ctx.version), entity: 'transaction' as const };
  let payload: Unsequenced<RefinedTransaction>;
  if (ctx.changeType === 'removed') {
    const t = plaidRemovedTransactionInput.parse(ctx.transaction);
    payload = { ...base, changeType: 'removed', transactionId: t.transaction_id, accountId: t.account_id, postedTransactionId: ctx.postedTransactionId ?? null };
  } else {
    const t = plaidTransactionInput.parse(ctx.transaction);
    const currency = t.iso_currency_code ?? t.unofficial_currency_code;
    if (!currency) throw new RangeError(`transaction ${t.transaction_id} has no currency code`);
    payload = ({
      ...base, changeType: ctx.changeType, transactionId: t.transaction_id, accountId: t.account_id,
      amount: plaidAmountToMoney(t.amount, currency, t.iso_currency_code !== null),
      date: t.date, authorizedDate: t.authorized_date, datetime: t.datetime, authorizedDatetime: t.authorized_datetime,
      description: t.name,
      merchant: { name: t.merchant_name, entityId: t.merchant_entity_id, logoUrl: t.logo_url, website: t.website },
      category: {
        primary: t.personal_finance_category?.primary ?? null,
        detailed: t.personal_finance_category?.detailed ?? null,
        confidence: t.personal_finance_category?.confidence_level ?? null,
      },
      paymentChannel: t.payment_channel, pending: t.pending, pendingTransactionId: t.pending_transaction_id,
    });
  }
  return { stream: 'refined-transactions', itemId: ctx.itemId, recordId: payload.recordId, payload, text: JSON.stringify(payload) };
}

/** The refined-accounts record (schema v1) for one change: type, subtype, mask, balances in minor units. */
export function refinedAccountRecord(ctx: RecordContext & AccountChange): OutboxRecord<Unsequenced<RefinedAccount>> {
  const base = { ...envelope('refined-accounts', ctx.account.account_id, ctx.changeType, ctx.account, ctx, ctx.version), entity: 'account' as const };
  let payload: Unsequenced<RefinedAccount>;
  if (ctx.changeType === 'removed') {
    payload = { ...base, changeType: 'removed', accountId: plaidRemovedAccountInput.parse(ctx.account).account_id };
  } else {
    const a = plaidAccountInput.parse(ctx.account);
    const b = a.balances;
    const exponent = b.iso_currency_code ? currencyExponent(b.iso_currency_code) : b.unofficial_currency_code ? UNOFFICIAL_EXPONENT : 2;
    const minor = (v: string | number | null) => (v === null ? null : toMinorUnits(v, exponent));
    payload = ({
      ...base, changeType: ctx.changeType, accountId: a.account_id, name: a.name, officialName: a.official_name,
      type: a.type, subtype: a.subtype, mask: a.mask, verificationStatus: a.verification_status,
      balances: {
        currency: b.iso_currency_code ?? b.unofficial_currency_code, exponent,
        available: minor(b.available), current: minor(b.current), limit: minor(b.limit), updatedAt: b.last_updated_datetime,
      },
    });
  }
  return { stream: 'refined-accounts', itemId: ctx.itemId, recordId: payload.recordId, payload };
}

/** The state of an item an item record carries. */
export interface ItemState {
  id: string;
  userId: string;
  institutionId: string | null;
  institutionName: string | null;
  status: ItemRecord['status'];
  errorCode: string | null;
}

/**
 * An item's record, for both account streams (raw and refined carry the same shape). `version` is
 * the item's stream version after this change; `at` makes the id of each change distinct.
 */
export function itemRecords(item: ItemState, changeType: ItemChangeType, reason: string | null, version: number, at: Date): OutboxRecord<Unsequenced<ItemRecord>>[] {
  return (['raw-accounts', 'refined-accounts'] as const).map((stream) => {
    const recordId = sha256([stream, item.id, changeType, String(version), at.toISOString()].join('\n'));
    const payload: Unsequenced<ItemRecord> = {
      schemaVersion: REFINED_SCHEMA_VERSION, recordId, userId: item.userId, itemId: item.id,
      institution: { id: item.institutionId, name: item.institutionName }, receivedAt: at.toISOString(), version,
      entity: 'item', changeType, status: item.status, reason, errorCode: item.errorCode,
    };
    return { stream, itemId: item.id, recordId, payload };
  });
}
