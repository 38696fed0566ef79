import { humanize, money } from '../../../_components/format';

interface Category { category: string; currency: string; total: number; count: number }

const WIDTH = 640;
const ROW = 30;
const LABEL = 170;
const VALUE = 110;

/** Spending by category as a hand-made horizontal SVG bar chart (no chart library), with a text equivalent. */
export function SpendingChart({ categories, days }: { categories: Category[]; days: number }) {
  const currency = categories[0]?.currency ?? 'USD';
  const rows = categories.filter((c) => c.currency === currency).slice(0, 10);
  if (rows.length === 0) {
    return <p className="muted">No spending in the last {days} days yet. It appears here once transactions arrive.</p>;
  }
  const max = Math.max(...rows.map((r) => r.total));
  const barSpace = WIDTH - LABEL - VALUE;
  const height = rows.length * ROW;
  const summary = rows.map((r) => `${humanize(r.category)} ${money(r.total, currency)}`).join(', ');
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={`Spending by category: ${summary}`}>
        {rows.map((r, i) => {
          const w = Math.max(2, Math.round((r.total / max) * barSpace));
          const y = i * ROW;
          return (
            <g key={r.category}>
              <text x={LABEL - 8} y={y + ROW / 2 + 5} textAnchor="end" className="chart-label">{humanize(r.category)}</text>
              <rect x={LABEL} y={y + 5} width={w} height={ROW - 10} rx={3} className="chart-bar" />
              <text x={LABEL + w + 6} y={y + ROW / 2 + 5} className="chart-value">{money(r.total, currency)}</text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">Money out over the last {days} days, by category ({currency}).</figcaption>
    </figure>
  );
}
