import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { ABANDONED_AFTER_MS } from './link-session-outcome';

/**
 * Link conversion as Plaid's handbook measures it, from the onEvent / onExit / onSuccess records
 * the browser stored (server/link-events.ts): of the Link sessions opened in a period, how many
 * chose an institution, reached the sign-in pane (Link's CREDENTIAL view, or the bank's own OAuth
 * page), and succeeded; and the sessions that ended without an item, by exit reason, error code
 * and institution. A session belongs to the period it started in. Each stage counts the sessions
 * that reached it or a later one (a returning user's Link may skip a pane), so the funnel narrows.
 */
export const funnelStages = [
  { key: 'opened', label: 'Opened Link' },
  { key: 'selected', label: 'Chose a bank' },
  { key: 'credentials', label: 'Reached sign-in' },
  { key: 'succeeded', label: 'Linked' },
] as const;

interface SessionRow {
  started_at: Date | string;
  last_at: Date | string;
  selected: boolean;
  credentials: boolean;
  succeeded: boolean;
  exited: boolean;
  exit_status: string | null;
  error_code: string | null;
  institution_id: string | null;
  institution_name: string | null;
}

export interface Breakdown {
  key: string;
  label: string;
  count: number;
}

const words = (code: string) => {
  const s = code.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** Largest first, ties by label; at most `top` rows, the rest summed as "Other". */
function tally(keys: Array<{ key: string; label: string }>, top = 8): Breakdown[] {
  const counts = new Map<string, Breakdown>();
  for (const { key, label } of keys) {
    const b = counts.get(key) ?? { key, label, count: 0 };
    b.count += 1;
    counts.set(key, b);
  }
  const sorted = [...counts.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  if (sorted.length <= top) return sorted;
  const rest = sorted.slice(top - 1).reduce((n, b) => n + b.count, 0);
  return [...sorted.slice(0, top - 1), { key: 'other', label: 'Other', count: rest }];
}

export async function linkConversion(db: Db, input: { from: Date; to: Date; now?: Date }) {
  const now = input.now ?? new Date();
  // Events of a session that started in the period may come a little after its end.
  const result = await db.execute(sql`
    with s as (
      select
        e.link_session_id,
        min(e.created_at) as started_at,
        max(e.created_at) as last_at,
        bool_or(e.event_name = 'SELECT_INSTITUTION') as selected,
        bool_or((e.event_name = 'TRANSITION_VIEW' and e.metadata->>'view_name' = 'CREDENTIAL')
          or e.event_name in ('SUBMIT_CREDENTIALS', 'OPEN_OAUTH')) as credentials,
        bool_or(e.kind = 'success') as succeeded,
        bool_or(e.kind = 'exit') as exited,
        (array_agg(e.exit_status order by e.created_at desc) filter (where e.kind = 'exit'))[1] as exit_status,
        (array_agg(e.error_code order by e.created_at desc) filter (where e.error_code is not null))[1] as error_code,
        (array_agg(e.institution_id order by e.created_at desc) filter (where e.institution_id is not null))[1] as institution_id,
        (array_agg(coalesce(e.metadata->>'institution_name', e.metadata->'institution'->>'name') order by e.created_at desc)
          filter (where coalesce(e.metadata->>'institution_name', e.metadata->'institution'->>'name') is not null))[1] as institution_name
      from link_events e
      where e.link_session_id is not null
        and e.created_at >= ${input.from.toISOString()}::timestamptz
        and e.created_at < ${new Date(input.to.getTime() + 2 * ABANDONED_AFTER_MS).toISOString()}::timestamptz
      group by e.link_session_id
    )
    select s.*, coalesce(i.name, s.institution_name) as institution_name
    from s left join institutions i on i.id = s.institution_id
    where s.started_at < ${input.to.toISOString()}::timestamptz
  `);
  const sessions = rowsOf<SessionRow>(result);

  const stage = { opened: 0, selected: 0, credentials: 0, succeeded: 0 };
  const ended: SessionRow[] = [];
  let inProgress = 0;
  for (const s of sessions) {
    stage.opened += 1;
    if (s.selected || s.credentials || s.succeeded) stage.selected += 1;
    if (s.credentials || s.succeeded) stage.credentials += 1;
    if (s.succeeded) stage.succeeded += 1;
    else if (s.exited || now.getTime() - new Date(s.last_at).getTime() >= ABANDONED_AFTER_MS) ended.push(s);
    else inProgress += 1;
  }

  return {
    from: input.from,
    to: input.to,
    stages: funnelStages.map((f) => ({ ...f, count: stage[f.key] })),
    inProgress,
    exits: {
      total: ended.length,
      byReason: tally(ended.map((s) =>
        s.exited
          ? s.exit_status ? { key: s.exit_status, label: words(s.exit_status) } : { key: 'closed', label: 'Closed, no reason given' }
          : { key: 'abandoned', label: 'Abandoned (nothing heard for 30 minutes)' })),
      byErrorCode: tally(ended.map((s) => (s.error_code ? { key: s.error_code, label: words(s.error_code) } : { key: 'none', label: 'No error' }))),
      byInstitution: tally(ended.map((s) =>
        s.institution_id ? { key: s.institution_id, label: s.institution_name ?? s.institution_id } : { key: 'none', label: 'No bank chosen' })),
    },
  };
}
