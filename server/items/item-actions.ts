import { appEvent, itemRemineRequested } from '../events';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { plaidAccounts, plaidItems, syncRuns } from '../../db/schema';
import type { AppDeps } from '../deps';
import { writeAudit } from '../audit';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { assertNotRemoved, getUserItem, type ItemRow, itemView } from './item-access';
import { callForItem } from './item-plaid';

export async function setMainAccount(db: Db, input: { userId: string; itemId: string; accountId: string }) {
  const item = await getUserItem(db, input.userId, input.itemId);
  assertNotRemoved(item);
  const [account] = await db
    .select({ id: plaidAccounts.id, type: plaidAccounts.type })
    .from(plaidAccounts)
    .where(and(eq(plaidAccounts.id, input.accountId), eq(plaidAccounts.itemId, item.id)));
  if (!account) throw new AppError('NOT_FOUND', 'No such account on this bank connection');
  // Money moves through the main account: a card, loan or investment account cannot be it.
  if (account.type !== 'depository') {
    throw new AppError('PRECONDITION_FAILED', 'Only a depository account can be the main account', {
      displayMessage: 'Only a checking or savings account can be your main account.',
    });
  }
  const updated = await db.transaction(async (tx) => {
    const [row] = await tx.update(plaidItems).set({ mainAccountId: account.id }).where(eq(plaidItems.id, item.id)).returning();
    if (item.mainAccountId !== account.id) {
      await writeAudit(tx, {
        actorId: input.userId, actorKind: 'user', action: 'item.set_main_account', subjectUserId: input.userId, itemId: item.id,
        details: { accountId: account.id, previousAccountId: item.mainAccountId },
      });
    }
    return row!;
  });
  return itemView(updated);
}

/** Sandbox and emulator only: make Plaid report ITEM_LOGIN_REQUIRED for this item. */
export async function resetLogin(db: Db, deps: AppDeps, item: ItemRow, log?: Logger) {
  if (deps.config.plaidEnv === 'production') throw new AppError('FORBIDDEN', 'Reset login exists only in sandbox and emulator');
  assertNotRemoved(item);
  await callForItem(db, deps, item, '/sandbox/item/reset_login', (access_token) => deps.plaid.sandboxItemResetLogin({ access_token }), log);
  return { reset: true };
}

/**
 * Queues a full re-mine (accounts, then transactions from an empty cursor). At most one waits or
 * runs per item: asking again returns the run already queued.
 */
export async function queueRemine(db: Db, deps: AppDeps, input: { itemId: string; requestedBy: string }) {
  const active = () =>
    db
      .select({ id: syncRuns.id })
      .from(syncRuns)
      .where(and(eq(syncRuns.itemId, input.itemId), eq(syncRuns.kind, 'remine'), inArray(syncRuns.status, ['QUEUED', 'RUNNING'])));
  const [existing] = await active();
  if (existing) return { runId: existing.id, alreadyQueued: true };
  const [run] = await db
    .insert(syncRuns)
    .values({ itemId: input.itemId, kind: 'remine', status: 'QUEUED', trigger: input.requestedBy })
    .onConflictDoNothing()
    .returning({ id: syncRuns.id });
  if (!run) {
    const [winner] = await active();
    return { runId: winner!.id, alreadyQueued: true };
  }
  await deps.send([appEvent(itemRemineRequested, { itemId: input.itemId, runId: run.id })]);
  return { runId: run.id, alreadyQueued: false };
}

export async function remineUserItem(db: Db, deps: AppDeps, input: { userId: string; itemId: string }) {
  const item = await getUserItem(db, input.userId, input.itemId);
  assertNotRemoved(item);
  if (item.status === 'REVOKED') throw new AppError('PRECONDITION_FAILED', 'Access to this bank was revoked; link it again');
  return queueRemine(db, deps, { itemId: item.id, requestedBy: `user:${input.userId}` });
}
