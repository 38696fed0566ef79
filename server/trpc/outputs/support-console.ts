import { z } from 'zod';
import { itemStatuses, jobRunStatuses, streamKinds } from '../../../db/schema';
import { timelineKinds } from '../../support/item-timeline';
import { funnelStages } from '../../support/link-conversion';
import { accountOutput } from './accounts';
import { supportInstitutionOutput } from './institutions';
import { syncRunOutput } from './items';
import { timestamp } from './shared';

/** Every account of a user's items, removed ones included (masks only). */
export const supportAccountsOutput = z.array(accountOutput.extend({ removedAt: timestamp.nullable() }));

export const supportSyncRunsOutput = z.array(syncRunOutput);

const errorSummary = z.object({ name: z.string().optional(), message: z.string().optional() });

/** A durable job run: its event's name and item id, never the event payload. */
export const jobRunOutput = z.object({
  id: z.string(),
  functionId: z.string(),
  eventName: z.string(),
  itemId: z.string().nullable(),
  status: z.enum(jobRunStatuses),
  attempt: z.number().int(),
  maxAttempts: z.number().int(),
  stepsDone: z.number().int(),
  error: errorSummary.nullable(),
  attemptErrors: z.array(z.object({ at: z.string(), attempt: z.number().int(), step: z.string().nullable(), error: errorSummary })),
  runAt: timestamp,
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
});
export const jobRunsOutput = z.array(jobRunOutput);

/** A Link session: its events in order and how it ended. */
export const linkSessionOutput = z.object({
  linkSessionId: z.string(),
  startedAt: timestamp,
  institutionId: z.string().nullable(),
  outcome: z.string().nullable(),
  errorCode: z.string().nullable(),
  exitStatus: z.string().nullable(),
  events: z.array(
    z.object({ name: z.string().nullable(), kind: z.string(), errorCode: z.string().nullable(), at: timestamp, viewName: z.string().nullable() }),
  ),
});
export const linkSessionsOutput = z.array(linkSessionOutput);

export const supportInstitutionsOutput = z.array(supportInstitutionOutput);

/** A person's notification emails (delivery records), for the support console. */
export const supportNotificationsOutput = z.array(
  z.object({
    id: z.string(),
    itemId: z.string().nullable(),
    kind: z.string(),
    round: z.number().int(),
    status: z.enum(['pending', 'sent', 'failed', 'bounced', 'skipped']),
    subject: z.string().nullable(),
    smtpMessageId: z.string().nullable(),
    attempts: z.number().int(),
    /** Why it did not go out, in words (server/notifications/delivery-words.ts). */
    problem: z.string().nullable(),
    createdAt: timestamp,
    sentAt: timestamp.nullable(),
    openedAt: timestamp.nullable(),
    resolvedAt: timestamp.nullable(),
  }),
);

/** One item's history, oldest first: Link, webhooks, syncs, status changes, support actions, emails. */
export const itemTimelineOutput = z.object({
  item: z.object({ id: z.string(), userId: z.string(), institutionName: z.string().nullable(), status: z.enum(itemStatuses) }),
  entries: z.array(
    z.object({
      id: z.string(),
      at: timestamp,
      kind: z.enum(timelineKinds),
      title: z.string(),
      detail: z.string().nullable(),
      tone: z.enum(['good', 'bad', 'neutral']),
    }),
  ),
  truncated: z.boolean(),
});

const breakdown = z.array(z.object({ key: z.string(), label: z.string(), count: z.number().int() }));

/** Link conversion over a period: the funnel's stages and the sessions that ended without an item. */
export const linkConversionOutput = z.object({
  from: timestamp,
  to: timestamp,
  stages: z.array(z.object({ key: z.enum(funnelStages.map((s) => s.key)), label: z.string(), count: z.number().int() })),
  inProgress: z.number().int(),
  exits: z.object({ total: z.number().int(), byReason: breakdown, byErrorCode: breakdown, byInstitution: breakdown }),
});

/** Per stream: the backlog and the last hour's throughput (counts and times only, no records). */
export const streamsThroughputOutput = z.array(
  z.object({
    stream: z.enum(streamKinds),
    backlog: z.object({
      stream: z.enum(streamKinds),
      unpublished: z.number().int(),
      oldestUnpublishedAt: timestamp.nullable(),
      oldestAgeSeconds: z.number(),
      lastError: z.string().nullable(),
    }),
    publishedLastHour: z.number().int(),
    perBucket: z.array(z.number().int()),
    writtenLastHour: z.number().int(),
    lastPublishedAt: timestamp.nullable(),
  }),
);
