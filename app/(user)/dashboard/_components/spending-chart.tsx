import { humanize, money } from '../../../_components/format';

interface Category { category: string; currency: string; total: number; count: number }

/** Spending by category as bars drawn with HTML: they reflow on a phone and stay readable; the numbers are text. */
export function SpendingChart({ categories, days }: { categories: Category[]; days: number }) {
  const currency = categories[0]?.currency ?? 'USD';
  const rows = categories.filter((c) => c.currency === currency).slice(0, 10);
  if (rows.length === 0) {
    return <p className="muted">No spending in the last {days} days yet. It appears here once transactions arrive.</p>;
  }
  const max = Math.max(...rows.map((r) => r.total));
  return (
    <figure className="chart">
      <ul className="bars" aria-label="Spending by category">
        {rows.map((r) => (
          <li key={r.category}>
            <span className="bar-label">{humanize(r.category)}</span>
            <span className="bar-track" aria-hidden="true"><span className="bar" style={{ width: `${Math.max(1, (r.total / max) * 100)}%` }} /></span>
            <span className="bar-value">{money(r.total, currency)}</span>
          </li>
        ))}
      </ul>
      <figcaption className="muted">Money out over the last {days} days, by category ({currency}). Transfers between your own accounts and card payments are left out.</figcaption>
    </figure>
  );
}
