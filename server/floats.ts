import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { floats, plaidItems, users } from '../db/schema';
import { writeAudit } from './audit';
import type { AppDeps } from './deps';
import { AppError } from './errors';
import { checkMainBalance } from './floats-balance';
import type { Logger } from './logger';

export async function activeFloats(db: Db | Tx, userId: string) {
  return db.select().from(floats).where(and(eq(floats.userId, userId), eq(floats.status, 'ACTIVE')));
}

/** Whether the user may change their bank connections now, and if not, why (in words for people). */
export async function canChangeItems(db: Db | Tx, userId: string): Promise<{ allowed: boolean; reasons: string[] }> {
  const open = await activeFloats(db, userId);
  const reasons = open.map(
    (f) => `You have an active cash advance of ${Number(f.amount).toFixed(2)} ${f.currency}; repay it before removing a bank.`,
  );
  return { allowed: reasons.length === 0, reasons };
}

/**
 * Locks the user's row for the rest of the transaction. Removing a bank and creating a float both
 * take it first, so one waits for the other: a float never appears between a removal's check and
 * its removal, and a removal never slips in between a float's balance check and its insert.
 *
 * FOR NO KEY UPDATE, not FOR UPDATE: writes to the user's bank rows check their foreign key to the
 * user with FOR KEY SHARE, which FOR UPDATE blocks. A removal holding the user and waiting for its
 * item's row, while a balance read held that row and re-checked the key, was a deadlock (Postgres
 * aborted one; seen in CI as a removal and a float both failing).
 */
export async function lockUser(tx: Tx, userId: string): Promise<boolean> {
  const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
  return !!row;
}

const refuse = (sentence: string) => new AppError('PRECONDITION_FAILED', sentence, { displayMessage: sentence });

/**
 * Support grants a float. The main account's real-time balance (/accounts/balance/get) is read
 * first and the float refused, in words, when the money is not there or cannot be read. Then, under
 * the user's lock, the main bank must still be connected (a removal may have won the race).
 */
export async function createFloat(
  db: Db,
  deps: AppDeps,
  actor: { id: string },
  input: { userId: string; amount: string; reason: string },
  log?: Logger,
) {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
  if (!user) throw new AppError('NOT_FOUND', 'No such user');
  const checked = await checkMainBalance(db, deps, { userId: input.userId, amount: input.amount }, log);
  if (!checked.ok) throw refuse(checked.sentence);
  const row = await db.transaction(async (tx) => {
    await lockUser(tx, input.userId);
    const [item] = await tx.select({ status: plaidItems.status }).from(plaidItems).where(eq(plaidItems.id, checked.itemId));
    if (!item || item.status === 'REMOVED' || item.status === 'REVOKED') {
      throw refuse('No float was created: the customer’s main bank was disconnected a moment ago.');
    }
    const [created] = await tx
      .insert(floats)
      .values({ userId: input.userId, amount: input.amount, currency: checked.currency, createdBy: actor.id })
      .returning();
    await writeAudit(tx, {
      actorId: actor.id,
      actorKind: 'support',
      action: 'float.create',
      subjectUserId: input.userId,
      reason: input.reason,
      details: { floatId: created!.id, amount: input.amount, availableBalance: checked.available },
    });
    return created!;
  });
  return row;
}

export async function settleFloat(db: Db, actor: { id: string }, input: { floatId: string; reason: string }) {
  const [row] = await db
    .update(floats)
    .set({ status: 'SETTLED', settledAt: new Date() })
    .where(and(eq(floats.id, input.floatId), eq(floats.status, 'ACTIVE')))
    .returning();
  if (!row) throw new AppError('NOT_FOUND', 'No active float with that id');
  await writeAudit(db, {
    actorId: actor.id,
    actorKind: 'support',
    action: 'float.settle',
    subjectUserId: row.userId,
    reason: input.reason,
    details: { floatId: row.id },
  });
  return row;
}
