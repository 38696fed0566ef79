import type { Db, Tx } from '../db/client';
import { auditLog } from '../db/schema';

export interface AuditEntry {
  actorId: string | null;
  actorKind: 'user' | 'support' | 'service' | 'system';
  action: string;
  subjectUserId?: string | null;
  itemId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** One row per support action or automated change: who, what, on which subject, and why. */
export async function writeAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId,
    actorKind: entry.actorKind,
    action: entry.action,
    subjectUserId: entry.subjectUserId ?? null,
    itemId: entry.itemId ?? null,
    reason: entry.reason ?? null,
    details: entry.details ?? null,
  });
}
