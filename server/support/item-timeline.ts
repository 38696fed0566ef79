import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { auditLog, itemStatusChanges, linkEvents, notifications, plaidItems, plaidWebhooks, syncRuns, users } from '../../db/schema';
import { AppError } from '../errors';
import { auditAction } from './audit-words';
import { webhookNoteWords } from './webhook-words';

export const timelineKinds = ['link', 'webhook', 'sync', 'status', 'support', 'notification'] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export interface TimelineEntry {
  /** Unique within the timeline (kind and the row's id). */
  id: string;
  at: Date;
  kind: TimelineKind;
  title: string;
  detail: string | null;
  tone: 'good' | 'bad' | 'neutral';
}

/** Rows read per source: the timeline keeps the newest `limit` entries of all of them together. */
const PER_SOURCE = 200;

const words = (code: string | null | undefined) => (code ? code.toLowerCase().replace(/_/g, ' ') : '');
const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const linkEventWords: Record<string, string> = {
  OPEN: 'Link opened',
  SELECT_INSTITUTION: 'Bank chosen in Link',
  SUBMIT_CREDENTIALS: 'Sign-in details submitted in Link',
  SUBMIT_MFA: 'Security code submitted in Link',
  OPEN_OAUTH: 'Sent to the bank’s own site',
  CLOSE_OAUTH: 'Back from the bank’s own site',
  HANDOFF: 'Link handed back to Tributary',
  ERROR: 'Link showed an error',
  EXIT: 'Link closed without linking',
  SUCCESS: 'Link succeeded',
};

/** Link's panes (TRANSITION_VIEW's view_name) in words; LOADING is left out as noise. */
const viewWords: Record<string, string> = {
  SELECT_INSTITUTION: 'Link showed the list of banks',
  CREDENTIAL: 'Link showed the bank’s sign-in form',
  MFA: 'Link asked for a security code',
  SELECT_ACCOUNT: 'Link showed the accounts to share',
  OAUTH: 'Link offered the bank’s own site',
  CONNECTED: 'Link showed its success pane',
  ERROR: 'Link showed an error pane',
  EXIT: 'Link asked whether to leave',
};

const viewOf = (e: { metadata: unknown }) => ((e.metadata ?? {}) as { view_name?: string | null }).view_name ?? null;

function linkEventTitle(e: { eventName: string | null; metadata: unknown }): string {
  if (e.eventName === 'TRANSITION_VIEW') return viewWords[viewOf(e) ?? ''] ?? 'Link moved to another pane';
  return linkEventWords[e.eventName ?? ''] ?? sentence(words(e.eventName) || 'Link event');
}

/**
 * One item's history as support reads it, oldest first: the Link session that made it, every
 * webhook, every sync run, every status change (errors, repairs, removal), every audited action
 * on it and every notification email about it. The newest `limit` entries are kept.
 */
export async function itemTimeline(db: Db, input: { itemId: string; limit: number }) {
  const [item] = await db.select().from(plaidItems).where(eq(plaidItems.id, input.itemId));
  if (!item) throw new AppError('NOT_FOUND', 'No such item');
  const bank = item.institutionName ?? 'the bank';

  const [link, webhooks, syncs, changes, audits, mails] = await Promise.all([
    item.linkSessionId
      ? db.select().from(linkEvents).where(and(eq(linkEvents.userId, item.userId), eq(linkEvents.linkSessionId, item.linkSessionId))).orderBy(desc(linkEvents.createdAt)).limit(PER_SOURCE)
      : Promise.resolve([]),
    db.select({ id: plaidWebhooks.id, type: plaidWebhooks.webhookType, code: plaidWebhooks.webhookCode, state: plaidWebhooks.state, verified: plaidWebhooks.verified, error: plaidWebhooks.error, at: plaidWebhooks.receivedAt })
      .from(plaidWebhooks).where(eq(plaidWebhooks.itemId, item.id)).orderBy(desc(plaidWebhooks.receivedAt)).limit(PER_SOURCE),
    db.select().from(syncRuns).where(eq(syncRuns.itemId, item.id)).orderBy(desc(syncRuns.createdAt)).limit(PER_SOURCE),
    db.select().from(itemStatusChanges).where(eq(itemStatusChanges.itemId, item.id)).orderBy(desc(itemStatusChanges.createdAt)).limit(PER_SOURCE),
    db.select({ row: auditLog, name: users.name, email: users.email }).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorId))
      .where(eq(auditLog.itemId, item.id)).orderBy(desc(auditLog.createdAt)).limit(PER_SOURCE),
    db.select().from(notifications).where(eq(notifications.itemId, item.id)).orderBy(desc(notifications.createdAt)).limit(PER_SOURCE),
  ]);

  const entries: TimelineEntry[] = [
    { id: `linked:${item.id}`, at: item.createdAt, kind: 'link', title: `Linked ${bank}`, detail: null, tone: 'good' },
    ...link.filter((e) => !(e.eventName === 'TRANSITION_VIEW' && viewOf(e) === 'LOADING')).map((e): TimelineEntry => ({
      id: `link:${e.id}`,
      at: e.createdAt,
      kind: 'link',
      title: linkEventTitle(e),
      detail: [e.errorCode && `error: ${words(e.errorCode)}`, e.exitStatus && `at ${words(e.exitStatus)}`].filter(Boolean).join(' · ') || null,
      tone: e.errorCode ? 'bad' : e.kind === 'success' ? 'good' : 'neutral',
    })),
    ...webhooks.map((w): TimelineEntry => ({
      id: `webhook:${w.id}`,
      at: w.at,
      kind: 'webhook',
      title: `Webhook: ${words(w.type) || 'unknown type'} · ${words(w.code) || 'no code'}`,
      detail: [words(w.state), !w.verified && 'not verified', w.error && webhookNoteWords(w.error)].filter(Boolean).join(' · ') || null,
      tone: w.state === 'FAILED' || w.state === 'REJECTED' || w.type === 'ITEM' && w.code === 'ERROR' ? 'bad' : 'neutral',
    })),
    ...syncs.map((r): TimelineEntry => ({
      id: `sync:${r.id}`,
      at: r.startedAt ?? r.createdAt,
      kind: 'sync',
      title: `${r.kind === 'remine' ? 'Re-mine' : 'Sync'} ${words(r.status)}`,
      detail: [
        r.trigger && `asked by ${words(r.trigger.replace(/:.*/, ''))}`,
        `${r.added} added, ${r.modified} changed, ${r.removed} removed in ${r.pages} ${r.pages === 1 ? 'page' : 'pages'}`,
        r.errorCode && `error: ${words(r.errorCode)}`,
      ].filter(Boolean).join(' · '),
      tone: r.status === 'SUCCEEDED' ? 'good' : r.status === 'FAILED' || r.status === 'LOGIN_REQUIRED' ? 'bad' : 'neutral',
    })),
    ...changes.map((c): TimelineEntry => ({
      id: `status:${c.id}`,
      at: c.createdAt,
      kind: 'status',
      title: `Status ${words(c.fromStatus)} → ${words(c.toStatus)}`,
      detail: c.reason ? `reason: ${words(c.reason)}` : null,
      // A removal is an ending, not a fault; any other way out of ACTIVE is a problem.
      tone: c.toStatus === 'ACTIVE' ? 'good' : c.toStatus === 'REMOVED' ? 'neutral' : 'bad',
    })),
    ...audits.map(({ row, name, email }): TimelineEntry => ({
      id: `audit:${row.id}`,
      at: row.createdAt,
      kind: 'support',
      title: auditAction(row.action),
      detail: [
        row.actorKind === 'system' ? 'by Tributary (automatic)' : `by ${name ?? email ?? row.actorKind}${row.actorKind === 'user' ? ' (the customer)' : ''}`,
        row.reason && `reason: ${row.reason}`,
      ].filter(Boolean).join(' · '),
      tone: 'neutral',
    })),
    ...mails.map((n): TimelineEntry => ({
      id: `notification:${n.id}`,
      at: n.sentAt ?? n.createdAt,
      kind: 'notification',
      title: `Email: ${words(n.kind)}${n.round > 0 ? ` (reminder ${n.round})` : ''}`,
      detail: [words(n.status), n.openedAt && 'opened', n.resolvedAt && 'problem resolved'].filter(Boolean).join(' · '),
      tone: n.status === 'failed' || n.status === 'bounced' ? 'bad' : 'neutral',
    })),
  ];
  if (item.removedAt && !changes.some((c) => c.toStatus === 'REMOVED')) {
    entries.push({ id: `removed:${item.id}`, at: item.removedAt, kind: 'status', title: `Removed ${bank}`, detail: null, tone: 'neutral' });
  }
  entries.sort((a, b) => a.at.getTime() - b.at.getTime() || timelineKinds.indexOf(a.kind) - timelineKinds.indexOf(b.kind));
  const kept = entries.slice(-input.limit);
  return {
    item: { id: item.id, userId: item.userId, institutionName: item.institutionName, status: item.status },
    entries: kept,
    truncated: kept.length < entries.length,
  };
}
