/** Open-loop load: requests start on a fixed schedule whatever the answers do, and each latency
 * is measured from its scheduled start (so queueing delay counts, no coordinated omission). */
export async function openLoop(opts: { rate: number; count: number; send: (i: number) => Promise<number> }) {
  const interval = 1000 / opts.rate;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < opts.count; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      opts.send(i).then(
        (status) => {
          latencies.push(performance.now() - due);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        },
        () => {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
  return {
    requests: opts.count,
    throughput: opts.count / seconds,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
    statuses: Object.fromEntries(statuses),
  };
}
