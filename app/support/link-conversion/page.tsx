import Link from 'next/link';
import { requireSupport } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { day } from '../../_components/format';
import { SupportNav } from '../_components/support-nav';
import { ExitBars, Funnel } from './_components/funnel';

export const dynamic = 'force-dynamic';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const validDay = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && isoDay(new Date(`${s}T00:00:00Z`)) === s ? s : null);
const RANGES = [
  { days: 1, label: 'Today' },
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
] as const;

/** Link conversion over a chosen period, as Plaid's handbook measures it, drawn as a funnel. */
export default async function LinkConversionPage({ searchParams }: { searchParams: Promise<{ from?: string; to?: string }> }) {
  const user = await requireSupport('/support/link-conversion');
  const asked = await searchParams;
  const today = isoDay(new Date());
  const to = validDay(asked.to) ?? today;
  const from = validDay(asked.from) ?? isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - 6 * DAY_MS));
  const ignored = (asked.from && !validDay(asked.from)) || (asked.to && !validDay(asked.to));
  let data;
  let error: string | null = null;
  try {
    data = await (await serverCaller()).support.linkConversion.get({ from, to });
  } catch (err) {
    error = readableError(err);
  }
  const opened = data?.stages[0]?.count ?? 0;
  const linked = data?.stages.at(-1)?.count ?? 0;
  return (
    <>
      <AppHeader user={user} />
      <main className="page wide">
        <h1>Link conversion</h1>
        <SupportNav current="conversion" />
        <form className="card period-form" method="get" aria-label="Period">
          <label>From <input type="date" name="from" defaultValue={from} max={today} /></label>
          <label>To <input type="date" name="to" defaultValue={to} max={today} /></label>
          <button type="submit">Show</button>
          <nav aria-label="Quick periods" className="quick-ranges">
            {RANGES.map((r) => {
              const f = isoDay(new Date(Date.parse(`${today}T00:00:00Z`) - (r.days - 1) * DAY_MS));
              return <Link key={r.days} href={`/support/link-conversion?from=${f}&to=${today}`} aria-current={f === from && to === today ? 'true' : undefined}>{r.label}</Link>;
            })}
          </nav>
        </form>
        {ignored && <p className="notice warn" role="status">We ignored a date that is not a calendar day. Dates look like {today}.</p>}
        {error && <p className="error" role="alert">{error}</p>}
        {data && (
          <>
            <section className="card" aria-labelledby="funnel-title">
              <h2 id="funnel-title">Sessions started {day(from)} – {day(to)}</h2>
              <p>
                <strong>{opened === 0 ? 'No Link sessions in this period.' : `${Math.round((linked / opened) * 1000) / 10}% of the Link sessions opened ended with a linked bank.`}</strong>
                {data.inProgress > 0 && <span className="muted"> {data.inProgress} still under way.</span>}
              </p>
              {opened > 0 && <Funnel stages={data.stages} />}
              <p className="muted small">
                A session counts at every stage it reached. Sign-in means Link showed the bank’s sign-in form, or sent the person to the bank’s own site.
                A session with no answer for 30 minutes counts as abandoned.
              </p>
            </section>
            <h2>Sessions that ended without a bank ({data.exits.total})</h2>
            <div className="exit-grid">
              <ExitBars title="By reason" id="exit-reason" rows={data.exits.byReason} total={data.exits.total} />
              <ExitBars title="By error" id="exit-error" rows={data.exits.byErrorCode} total={data.exits.total} />
              <ExitBars title="By bank" id="exit-bank" rows={data.exits.byInstitution} total={data.exits.total} />
            </div>
          </>
        )}
      </main>
    </>
  );
}
