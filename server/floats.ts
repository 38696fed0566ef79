import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { floats, users } from '../db/schema';
import { writeAudit } from './audit';
import { AppError } from './errors';

export async function activeFloats(db: Db, userId: string) {
  return db.select().from(floats).where(and(eq(floats.userId, userId), eq(floats.status, 'ACTIVE')));
}

/** Whether the user may change their bank connections now, and if not, why (in words for people). */
export async function canChangeItems(db: Db, userId: string): Promise<{ allowed: boolean; reasons: string[] }> {
  const open = await activeFloats(db, userId);
  const reasons = open.map(
    (f) => `You have an active cash advance of ${Number(f.amount).toFixed(2)} ${f.currency}; repay it before removing a bank.`,
  );
  return { allowed: reasons.length === 0, reasons };
}

export async function createFloat(db: Db, actor: { id: string }, input: { userId: string; amount: string; reason: string }) {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
  if (!user) throw new AppError('NOT_FOUND', 'No such user');
  const [row] = await db.insert(floats).values({ userId: input.userId, amount: input.amount, createdBy: actor.id }).returning();
  await writeAudit(db, {
    actorId: actor.id,
    actorKind: 'support',
    action: 'float.create',
    subjectUserId: input.userId,
    reason: input.reason,
    details: { floatId: row!.id, amount: input.amount },
  });
  return row!;
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
