import { day, money } from '../../../_components/format';

interface Point { day: string; netWorth: number; estimated: boolean }
const W = 600;
const H = 200;
/** Room at the edges so the line's ends and today's dot are not cut off. */
const PAD = 8;
const PAD_X = 16; // the drawing is stretched to the width: at phone size this is still a dot's width

/**
 * Net worth day by day as a line. The days worked back from transactions are drawn dashed and
 * said to be estimates; the words above the line and the table under it carry the same numbers
 * for people who do not see the drawing. Labels are HTML, so they stay readable on a phone.
 */
export function NetWorthChart({ points, currency }: { points: Point[]; currency: string }) {
  if (points.length < 2) {
    return <p className="muted">Your net worth over time appears here once your balances have been read.</p>;
  }
  const values = points.map((p) => p.netWorth);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  const x = (i: number) => PAD_X + (i / (points.length - 1)) * (W - 2 * PAD_X);
  const y = (v: number) => H - PAD - ((v - lo) / span) * (H - 2 * PAD);
  const path = (from: number, to: number) => {
    const d = points.slice(from, to + 1).map((p, i) => `${i === 0 ? 'M' : 'L'}${x(from + i).toFixed(1)},${y(p.netWorth).toFixed(1)}`);
    // A lone day is drawn as a dot: a line of no length with round ends (a circle would be stretched).
    return (d.length === 1 ? [d[0]!, d[0]!.replace('M', 'L')] : d).join(' ');
  };
  const lastEstimated = points.findLastIndex((p) => p.estimated);
  // The dashed part runs up to the first recorded day so the two parts join.
  const estimatedPath = lastEstimated >= 0 ? path(0, Math.min(lastEstimated + 1, points.length - 1)) : null;
  const recordedPath = lastEstimated < points.length - 1 ? path(lastEstimated + 1, points.length - 1) : null;
  const first = points[0]!;
  const last = points.at(-1)!;
  const change = last.netWorth - first.netWorth;
  const summary =
    `Net worth was ${money(first.netWorth, currency)} on ${day(first.day)}${first.estimated ? ' (estimated)' : ''} ` +
    `and is ${money(last.netWorth, currency)} on ${day(last.day)}: ` +
    (change === 0 ? 'no change.' : `${change > 0 ? 'up' : 'down'} ${money(Math.abs(change), currency)}.`);
  const rows = points.filter((_, i) => (points.length - 1 - i) % 7 === 0);
  return (
    <figure className="net-worth" aria-labelledby="net-worth-summary">
      <p id="net-worth-summary">{summary}</p>
      <div className="net-worth-plot">
        <div className="net-worth-scale muted small" aria-hidden="true">
          <span>{money(hi, currency)}</span>
          <span>{money(lo, currency)}</span>
        </div>
        <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-labelledby="net-worth-summary" data-points={points.length}>
          {lo < 0 && hi > 0 && <line className="net-worth-zero" x1={0} x2={W} y1={y(0)} y2={y(0)} vectorEffect="non-scaling-stroke" />}
          {estimatedPath && <path className="net-worth-line estimated" d={estimatedPath} vectorEffect="non-scaling-stroke" />}
          {recordedPath && <path className="net-worth-line" d={recordedPath} vectorEffect="non-scaling-stroke" />}
          <path className="net-worth-today" d={path(points.length - 1, points.length - 1)} vectorEffect="non-scaling-stroke" />
        </svg>
      </div>
      <div className="net-worth-axis muted small" aria-hidden="true">
        <span>{day(first.day)}</span>
        <span>{day(last.day)}</span>
      </div>
      {lastEstimated >= 0 && (
        <p className="muted small">
          <span className="legend-dash" aria-hidden="true" /> The dashed part, up to {day(points[lastEstimated]!.day)}, is an estimate:
          worked back from your transactions before we started keeping your daily balances. From then on, the solid line and the dot for today are the balances your banks reported.
        </p>
      )}
      <details>
        <summary>Show as a table</summary>
        <table className="table net-worth-table">
          <caption className="visually-hidden">Net worth every 7 days</caption>
          <thead><tr><th scope="col">Day</th><th scope="col" className="num">Net worth</th></tr></thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.day}><th scope="row">{day(p.day)}</th><td className="num" data-label="Net worth">{money(p.netWorth, currency)}{p.estimated ? ' (estimated)' : ''}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
