import { z } from 'zod';
import { userRoles, userStatuses, webhookSources, webhookStates } from '../../../db/schema';
import { itemOutput } from './items';
import { money, redactedBody, redactedJson, timestamp, uuid } from './shared';

/** A person as support finds them: profile only, no credentials of any kind. */
export const supportUserOutput = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(userRoles),
  status: z.enum(userStatuses),
  createdAt: timestamp,
});
export const userSearchOutput = z.array(supportUserOutput);

/** A cash advance. */
export const floatOutput = z.object({
  id: uuid,
  amount: money,
  currency: z.string(),
  status: z.enum(['ACTIVE', 'SETTLED']),
  createdAt: timestamp,
  settledAt: timestamp.nullable(),
});
/** floats.create / floats.settle answer with the float and whose it is. */
export const floatChangeOutput = floatOutput.extend({ userId: z.string() });

export const supportUserDetailOutput = supportUserOutput.extend({ floats: z.array(floatOutput) });

/** An item across users: who owns it and Plaid's item id (an identifier, not a credential). */
export const supportItemOutput = itemOutput.extend({ userId: z.string(), userEmail: z.string(), plaidItemId: z.string() });
export const supportItemListOutput = z.array(supportItemOutput);

/** A stored webhook; the body as received, re-serialised without secrets. */
export const userWebhookOutput = z.object({
  id: uuid,
  itemId: uuid.nullable(),
  source: z.enum(webhookSources),
  webhookType: z.string().nullable(),
  webhookCode: z.string().nullable(),
  rawBody: redactedBody,
  verified: z.boolean(),
  verificationError: z.string().nullable(),
  state: z.enum(webhookStates),
  error: z.string().nullable(),
  receivedAt: timestamp,
  processedAt: timestamp.nullable(),
});
export const userWebhooksOutput = z.array(userWebhookOutput);
/** The all-items timeline adds the Plaid item id (also for webhooks about unknown items). */
export const webhookListOutput = z.array(userWebhookOutput.extend({ plaidItemId: z.string().nullable(), unknownItem: z.boolean() }));

/** An audit row; `details` is the action's own JSON, sanitised. */
export const auditEntryOutput = z.object({
  id: uuid,
  actorId: z.string().nullable(),
  actorKind: z.enum(['user', 'support', 'service', 'system']),
  /** The person who acted (staff or the customer), when the actor is a person we know. */
  actorName: z.string().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  subjectUserId: z.string().nullable(),
  itemId: uuid.nullable(),
  reason: z.string().nullable(),
  details: redactedJson,
  createdAt: timestamp,
});
export const auditListOutput = z.array(auditEntryOutput);
