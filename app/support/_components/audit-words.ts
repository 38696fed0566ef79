import type { RouterOutputs } from '../../_trpc/types';

export { auditAction } from '../../../server/support/audit-words';

type AuditEntry = RouterOutputs['support']['audit']['list'][number];

/** Who did it: staff by name and email, the customer, a service, or Tributary itself. */
export function auditActor(e: Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorName' | 'actorEmail'>): string {
  if (e.actorKind === 'system') return 'Tributary (automatic)';
  if (e.actorKind === 'service') return `Service ${e.actorId ?? ''}`.trim();
  const person = e.actorName && e.actorEmail && e.actorName !== e.actorEmail ? `${e.actorName} (${e.actorEmail})` : (e.actorName ?? e.actorEmail);
  if (e.actorKind === 'user') return person ? `${person}, the customer` : 'The customer';
  return person ?? 'A staff member no longer on file';
}
