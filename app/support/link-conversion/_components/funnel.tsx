import type { RouterOutputs } from '../../../_trpc/types';

type Conversion = RouterOutputs['support']['linkConversion']['get'];

const pct = (n: number, of: number) => (of === 0 ? '—' : `${Math.round((n / of) * 1000) / 10}%`);

/**
 * The funnel: one band per stage, each as wide as the share of opened sessions that reached it,
 * joined to the next band's width so the bands read as one funnel. The words sit beside each band
 * in the page's own text (the drawing itself is decoration for screen readers).
 */
export function Funnel({ stages }: { stages: Conversion['stages'] }) {
  const opened = stages[0]?.count ?? 0;
  const width = (n: number) => (opened === 0 ? 0 : Math.max(2, (n / opened) * 100));
  return (
    <ol className="funnel" aria-label="Link conversion funnel">
      {stages.map((s, i) => {
        const top = width(s.count);
        const bottom = width(stages[i + 1]?.count ?? s.count);
        const previous = i > 0 ? stages[i - 1]!.count : null;
        return (
          <li key={s.key} className={`funnel-stage funnel-${s.key}`}>
            <div className="funnel-words">
              <span className="funnel-label">{s.label}</span>
              <span className="funnel-count">{s.count.toLocaleString('en-US')}</span>
              <span className="muted small">
                {i === 0 ? 'sessions' : `${pct(s.count, opened)} of opened · ${pct(s.count, previous!)} of the step before`}
              </span>
            </div>
            <div className="funnel-band">
              <svg viewBox="0 0 100 40" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <polygon points={`${50 - top / 2},0 ${50 + top / 2},0 ${50 + bottom / 2},40 ${50 - bottom / 2},40`} />
              </svg>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** One breakdown of the exits as horizontal bars (largest first). */
export function ExitBars({ title, id, rows, total }: { title: string; id: string; rows: Conversion['exits']['byReason']; total: number }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? <p className="muted">No sessions ended without a bank.</p> : (
        <ul className="bars">
          {rows.map((r) => (
            <li key={r.key}>
              <span className="bar-label">{r.label}</span>
              <span className="bar-value">{r.count.toLocaleString('en-US')} <span className="muted small">({pct(r.count, total)})</span></span>
              <span className="bar-track" aria-hidden="true"><span className="bar-fill" style={{ width: `${(r.count / max) * 100}%` }} /></span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
