import { z } from 'zod';
import { institutionHealth, itemStatuses, syncRunKinds, syncRunStatuses } from '../../../db/schema';
import { itemActions } from '../../items/lifecycle';
import { accountOutput } from './accounts';
import { timestamp, uuid } from './shared';

/** A bank connection as its owner (or support) sees it: no token, no cursor, no Plaid item id. */
export const itemOutput = z.object({
  id: uuid,
  institutionId: z.string().nullable(),
  institutionName: z.string().nullable(),
  status: z.enum(itemStatuses),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  action: z.enum(itemActions),
  replacedBy: uuid.nullable(),
  mainAccountId: z.string().nullable(),
  newAccountsAvailable: z.boolean(),
  lastSyncedAt: timestamp.nullable(),
  lastWebhookAt: timestamp.nullable(),
  disconnectAt: timestamp.nullable(),
  consentExpiresAt: timestamp.nullable(),
  removedAt: timestamp.nullable(),
  createdAt: timestamp,
});

/** The bank's branding, for the items page. */
export const institutionBrandOutput = z.object({
  id: z.string(),
  logo: z.string().nullable(),
  primaryColor: z.string().nullable(),
  url: z.string().nullable(),
  health: z.enum(institutionHealth),
});

/** items.list: each item, with its accounts and branding when asked for. */
export const itemSummaryOutput = itemOutput.extend({
  accounts: z.array(accountOutput).optional(),
  institution: institutionBrandOutput.nullable().optional(),
});
export const itemListOutput = z.array(itemSummaryOutput);

export const linkItemOutput = z.object({ item: itemOutput, created: z.boolean() });
export const completeUpdateOutput = z.object({ repaired: z.boolean(), item: itemOutput });
export const canChangeOutput = z.object({ allowed: z.boolean(), reasons: z.array(z.string()) });
export const refreshNowOutput = z.object({ requested: z.boolean(), nextAllowedAt: timestamp });
export const resetLoginOutput = z.object({ reset: z.boolean() });
export const remineOutput = z.object({ runId: uuid, alreadyQueued: z.boolean() });

/** What a snapshot re-published: counts of accounts and transactions (removed ones included). */
export const republishOutput = z.object({ accounts: z.number().int(), transactions: z.number().int() });

/** A sync run: counts, times and errors in words. */
export const syncRunOutput = z.object({
  id: uuid,
  itemId: uuid,
  kind: z.enum(syncRunKinds),
  status: z.enum(syncRunStatuses),
  trigger: z.string().nullable(),
  pages: z.number().int(),
  added: z.number().int(),
  modified: z.number().int(),
  removed: z.number().int(),
  updateStatus: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  createdAt: timestamp,
});

export const syncStatusOutput = z.array(
  z.object({
    itemId: uuid,
    run: syncRunOutput.nullable(),
    inProgress: z.boolean(),
    transactionsStored: z.number().int(),
  }),
);

/** items.checkDuplicate: the live item this Link result would duplicate, if any. */
export const checkDuplicateOutput = z.object({
  duplicate: z.object({ itemId: uuid, institutionName: z.string().nullable(), linkedAt: timestamp }).nullable(),
});
