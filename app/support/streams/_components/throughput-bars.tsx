/** Records published per 5-minute bucket over the last hour, oldest left, as a small bar chart. */
export function ThroughputBars({ perBucket, title }: { perBucket: number[]; title: string }) {
  const max = Math.max(1, ...perBucket);
  const w = 10;
  const h = 40;
  const summary = `${title}: ${perBucket.join(', ')}`;
  return (
    <figure className="throughput">
      <svg viewBox={`0 0 ${perBucket.length * w} ${h}`} preserveAspectRatio="none" role="img" aria-label={summary}>
        {perBucket.map((n, i) => {
          const bh = n === 0 ? 0.5 : Math.max(2, (n / max) * h);
          return <rect key={i} x={i * w + 1} y={h - bh} width={w - 2} height={bh} className={n === 0 ? 'empty' : undefined} />;
        })}
      </svg>
      <figcaption className="muted small"><span>60 min ago</span><span>peak {max === 1 && perBucket.every((n) => n === 0) ? 0 : max} per 5 min</span><span>now</span></figcaption>
    </figure>
  );
}
