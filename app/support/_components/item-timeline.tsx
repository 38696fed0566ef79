import { dateTime } from '../../_components/format';
import type { RouterOutputs } from '../../_trpc/types';

type Timeline = RouterOutputs['support']['timeline']['forItem'];

const kindWords: Record<Timeline['entries'][number]['kind'], string> = {
  link: 'Link',
  webhook: 'Webhook',
  sync: 'Sync',
  status: 'Status',
  support: 'Action',
  notification: 'Email',
};

/** One item's history as one chronological list (oldest first), each entry marked by its source. */
export function ItemTimeline({ timeline, titleId }: { timeline: Timeline; titleId: string }) {
  const bank = timeline.item.institutionName ?? 'Bank';
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>Timeline of {bank} <span className="count">({timeline.entries.length} events, oldest first)</span></h2>
      {timeline.truncated && <p className="muted">Showing the latest {timeline.entries.length} events.</p>}
      <ol className="item-timeline" aria-label={`Timeline of ${bank}`}>
        {timeline.entries.map((e) => (
          <li key={e.id} className={`tl-${e.kind} tone-${e.tone}`}>
            <span className="tl-kind">{kindWords[e.kind]}</span>
            <time dateTime={e.at.toISOString()} className="tl-when">{dateTime(e.at)}</time>
            <span className="tl-title">{e.title}</span>
            {e.detail && <span className="tl-detail muted">{e.detail}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
