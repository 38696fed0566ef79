import { appEvent, itemSyncRequested } from '../events';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { plaidItems, users } from '../../db/schema';
import { encrypt } from '../crypto';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { plaidCall, PlaidCallError } from '../plaid/call';
import { plaidFailureToAppError } from '../plaid/errors';
import { fetchAndStoreAccounts } from './store-accounts';
import { recordItemChange } from '../streams/item-changes';
import { refreshInstitution } from './store-institution';
import { findDuplicateItem } from './duplicates';
import { itemView } from './item-access';
import { SYNCING_STATUSES } from './lifecycle';

/** The `onSuccess` metadata from Plaid Link (the parts we use). */
export const linkMetadataSchema = z.object({
  institution: z.object({ name: z.string(), institution_id: z.string() }).nullable(),
  accounts: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        mask: z.string().nullable(),
        type: z.string(),
        subtype: z.string().nullable(),
      }),
    )
    .max(100),
  link_session_id: z.string().max(200),
});
export type LinkMetadata = z.infer<typeof linkMetadataSchema>;

const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

/**
 * Links a bank: refuses a duplicate, exchanges the public token, stores the item with its access
 * token encrypted, fetches accounts (with numbers, encrypted) and the institution, sets the main
 * account, activates the user and asks for the first sync. A retry with the same public token
 * returns the item the first call made, finishing what a crashed first call left undone.
 */
export async function linkItem(
  db: Db,
  deps: AppDeps,
  input: { userId: string; publicToken: string; metadata: LinkMetadata },
  log?: Logger,
) {
  const tokenHash = hashToken(input.publicToken);
  const [already] = await db.select().from(plaidItems).where(eq(plaidItems.publicTokenHash, tokenHash));
  if (already) {
    if (already.userId !== input.userId) throw new AppError('CONFLICT', 'This Link session belongs to someone else');
    // The first call may have died anywhere after storing the item (accounts, user, sync request
    // undone): the rest is idempotent, so a retry runs it again while the item is healthy.
    if (already.status === 'ACTIVE') return { item: await finishLink(db, deps, already, input, log), created: false };
    return { item: itemView(already), created: false };
  }

  const duplicate = await findDuplicateItem(db, input.userId, input.metadata);
  if (duplicate) {
    throw new AppError('CONFLICT', `Bank already linked (item ${duplicate.id})`, {
      displayMessage: `You have already linked ${input.metadata.institution?.name ?? 'this bank'}. You can manage it from your dashboard.`,
    });
  }

  let exchanged: { access_token: string; item_id: string };
  try {
    exchanged = await plaidCall(db, { endpoint: '/item/public_token/exchange', log }, () =>
      deps.plaid.itemPublicTokenExchange({ public_token: input.publicToken }),
    );
  } catch (err) {
    if (err instanceof PlaidCallError) throw plaidFailureToAppError(err.failure, 'Linking your bank');
    throw err;
  }

  // Store the item before anything else can fail, so the access token is never lost; its
  // "linked" record commits with it.
  const item = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(plaidItems)
      .values({
        plaidItemId: exchanged.item_id,
        userId: input.userId,
        accessTokenEnc: encrypt(deps.keyring, exchanged.access_token),
        institutionId: input.metadata.institution?.institution_id ?? null,
        institutionName: input.metadata.institution?.name ?? null,
        linkSessionId: input.metadata.link_session_id,
        publicTokenHash: tokenHash,
        webhookUrl: deps.config.webhookUrl,
      })
      .onConflictDoNothing()
      .returning();
    if (row) await recordItemChange(tx, row.id, 'linked', null);
    return row;
  });
  if (!item) {
    // A concurrent call with the same token won the insert: return its item.
    const [winner] = await db.select().from(plaidItems).where(eq(plaidItems.publicTokenHash, tokenHash));
    if (winner) return { item: itemView(winner), created: false };
    throw new AppError('CONFLICT', 'This bank connection is already linked');
  }
  try {
    return { item: await finishLink(db, deps, item, input, log), created: true };
  } catch (err) {
    await keepTryingAfterLinkFault(db, deps, item.id, input.userId, err);
    throw err;
  }
}

/**
 * The item is stored but finishing the link met a passing problem (the lifecycle's 'wait': the bank
 * or Plaid busy, a rate limit): the person is told we keep trying, so the item counts as linked and
 * its first sync is requested — the sync brings its accounts, and the hourly sweep retries it. An
 * item the error moved (ERROR, REVOKED) waits for the person instead (update mode finishes it).
 */
async function keepTryingAfterLinkFault(db: Db, deps: AppDeps, itemId: string, userId: string, err: unknown) {
  // The app codes of the lifecycle's passing rules (RATE_LIMITED_RULE, PLAID_FAULT_RULE, the bank busy).
  if (!(err instanceof AppError) || (err.code !== 'PLAID_RETRY_LATER' && err.code !== 'TOO_MANY_REQUESTS')) return;
  const [item] = await db.select({ status: plaidItems.status }).from(plaidItems).where(eq(plaidItems.id, itemId));
  if (!item || !SYNCING_STATUSES.includes(item.status)) return;
  await db.update(users).set({ status: 'ACTIVE' }).where(eq(users.id, userId));
  await deps.send([appEvent(itemSyncRequested, { itemId, trigger: 'link' })]);
}

/**
 * Everything after the item is stored: accounts, institution, main account, user activation, the
 * first sync request. Each part is idempotent, so a retry after a crash half-way simply runs it again.
 */
async function finishLink(db: Db, deps: AppDeps, item: typeof plaidItems.$inferSelect, input: { userId: string; metadata: LinkMetadata }, log?: Logger) {
  const itemLog = log?.child({ item_id: item.id, link_session_id: input.metadata.link_session_id });
  const mainAccountId = await fetchAndStoreAccounts(db, deps, item, itemLog);
  if (item.institutionId) await refreshInstitution(db, deps, item.institutionId, itemLog).catch(() => undefined);
  const [linked] = await db.update(plaidItems).set({ mainAccountId }).where(eq(plaidItems.id, item.id)).returning();
  await db.update(users).set({ status: 'ACTIVE' }).where(eq(users.id, input.userId));
  await deps.send([appEvent(itemSyncRequested, { itemId: item.id, trigger: 'link' })]);
  itemLog?.info({ institution_id: item.institutionId }, 'Item linked');
  return itemView(linked!);
}
