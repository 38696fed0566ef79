import { z } from 'zod';
import type { Db } from '../db/client';
import { linkEvents } from '../db/schema';

/** What the browser reports from Link's onEvent / onExit / onSuccess (metadata kept as sent, bounded). */
export const linkEventInput = z.object({
  kind: z.enum(['event', 'exit', 'success']),
  eventName: z.string().max(64).optional(),
  metadata: z
    .object({
      link_session_id: z.string().max(200).optional().nullable(),
      request_id: z.string().max(200).optional().nullable(),
      institution_id: z.string().max(100).optional().nullable(),
      institution_name: z.string().max(200).optional().nullable(),
      institution: z.object({ name: z.string().max(200), institution_id: z.string().max(100) }).optional().nullable(),
      error_code: z.string().max(100).optional().nullable(),
      error_type: z.string().max(100).optional().nullable(),
      error_message: z.string().max(1000).optional().nullable(),
      exit_status: z.string().max(100).optional().nullable(),
      status: z.string().max(100).optional().nullable(),
      view_name: z.string().max(100).optional().nullable(),
      mfa_type: z.string().max(100).optional().nullable(),
      is_update_mode: z.union([z.boolean(), z.string().max(10)]).optional().nullable(),
      timestamp: z.string().max(100).optional().nullable(),
    })
    // Unknown keys are dropped, never stored: Link metadata must not smuggle a public token in.
    .strip(),
  error: z
    .object({ error_code: z.string().max(100), error_type: z.string().max(100), display_message: z.string().max(1000).nullable().optional() })
    .nullable()
    .optional(),
});
export type LinkEventInput = z.infer<typeof linkEventInput>;

export async function recordLinkEvent(db: Db, userId: string, input: LinkEventInput) {
  const m = input.metadata;
  const [row] = await db
    .insert(linkEvents)
    .values({
      userId,
      kind: input.kind,
      eventName: input.eventName ?? (input.kind === 'exit' ? 'EXIT' : input.kind === 'success' ? 'SUCCESS' : null),
      linkSessionId: m.link_session_id ?? null,
      institutionId: m.institution_id ?? m.institution?.institution_id ?? null,
      errorCode: input.error?.error_code ?? m.error_code ?? null,
      errorType: input.error?.error_type ?? m.error_type ?? null,
      exitStatus: m.exit_status ?? m.status ?? null,
      metadata: { ...m, ...(input.error ? { error: input.error } : {}) },
    })
    .returning({ id: linkEvents.id });
  return { id: row!.id };
}
