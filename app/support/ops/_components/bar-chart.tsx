/** One series over time as SVG bars: no chart library, scales to its box (390 px phones to 1280 px desks). */
export function BarChart({ title, values, from, to, unit, color = 'var(--accent)' }: {
  title: string;
  /** One per bucket, oldest first; null = nothing measured then (no bar). */
  values: (number | null)[];
  from: string;
  to: string;
  unit: string;
  color?: string;
}) {
  const W = 600;
  const H = 140;
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  const top = max > 0 ? max : 1;
  const slot = W / Math.max(1, values.length);
  const measured = values.filter((v): v is number => v !== null);
  const latest = measured.length ? measured[measured.length - 1]! : null;
  const summary = measured.length
    ? `${title}: highest ${fmt(max)} ${unit}, latest ${fmt(latest!)} ${unit}, from ${from} to ${to}`
    : `${title}: nothing measured from ${from} to ${to}`;
  return (
    <figure className="ops-chart">
      <figcaption><strong>{title}</strong> <span className="muted">highest {fmt(max)} {unit}</span></figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary} width="100%" height={H}>
        <line x1={0} y1={H - 0.5} x2={W} y2={H - 0.5} stroke="var(--border)" />
        {values.map((v, i) => {
          if (v === null || v <= 0) return null;
          const h = Math.max(2, (v / top) * (H - 6));
          return <rect key={i} x={i * slot + slot * 0.15} y={H - h} width={slot * 0.7} height={h} fill={color}><title>{`${fmt(v)} ${unit}`}</title></rect>;
        })}
      </svg>
      <div className="ops-axis muted"><span>{from}</span><span>{to}</span></div>
    </figure>
  );
}

function fmt(n: number): string {
  return n >= 100 || Number.isInteger(n) ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}
