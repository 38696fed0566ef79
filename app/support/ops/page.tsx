import Link from 'next/link';
import { getDb } from '../../../db/client';
import { requireSupport } from '../../../server/auth/guards';
import { opsFigures, type OpsWindow } from '../../../server/support/ops-figures';
import { AppHeader } from '../../_components/app-header';
import { humanize } from '../../_components/format';
import { SupportNav } from '../_components/support-nav';
import { BarChart } from './_components/bar-chart';

export const dynamic = 'force-dynamic';

const time = (d: Date, window: OpsWindow) =>
  d.toLocaleString('en-US', window === 'hour' ? { hour: 'numeric', minute: '2-digit' } : { weekday: 'short', hour: 'numeric' });

/** Operations: sync lag, Plaid errors by code and the outbox backlog over the last hour or day, from the database. */
export default async function SupportOpsPage({ searchParams }: { searchParams: Promise<{ window?: string }> }) {
  const me = await requireSupport('/support/ops');
  const window: OpsWindow = (await searchParams).window === 'day' ? 'day' : 'hour';
  const f = await opsFigures(getDb().db, window);
  const from = time(f.buckets[0]!, window);
  const to = 'now';
  const errors = f.plaidErrors.slice(0, 4);
  return (
    <>
      <AppHeader user={me} />
      <main className="page wide">
        <h1>Operations</h1>
        <SupportNav current="ops" />
        <nav aria-label="Time window" className="tabs">
          <Link href="/support/ops" aria-current={window === 'hour' ? 'page' : undefined}>Last hour</Link>
          <Link href="/support/ops?window=day" aria-current={window === 'day' ? 'page' : undefined}>Last day</Link>
        </nav>
        <section className="card ops-grid" aria-label="Figures">
          <BarChart title="Sync lag (webhook to handled)" values={f.syncLagSeconds} from={from} to={to} unit="s" />
          <BarChart title="Stream backlog (waiting for Kinesis)" values={f.outboxBacklog} from={from} to={to} unit="records" />
          <BarChart title="Plaid calls" values={f.plaidCalls} from={from} to={to} unit="calls" />
          {errors.length === 0 ? (
            <p className="muted">No failed Plaid calls in this window.</p>
          ) : (
            errors.map((e) => <BarChart key={e.code} title={`Plaid errors: ${humanize(e.code)}`} values={e.counts} from={from} to={to} unit="errors" color="var(--danger)" />)
          )}
        </section>
      </main>
    </>
  );
}
