import { requireSupport } from '../../../server/auth/guards';
import { streamNames } from '../../../server/streams/kinesis-client';
import { publishErrorWords } from '../../../server/support/publish-words';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { dateTime } from '../../_components/format';
import { SupportNav } from '../_components/support-nav';
import { ThroughputBars } from './_components/throughput-bars';

export const dynamic = 'force-dynamic';

const titles = {
  'raw-transactions': 'Raw transactions',
  'raw-accounts': 'Raw accounts',
  'refined-transactions': 'Refined transactions',
  'refined-accounts': 'Refined accounts',
} as const;

/** A backlog older than this means the publisher is not keeping up (it normally runs within seconds). */
const BEHIND_SECONDS = 300;

function age(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

/** Per Kinesis stream: the backlog (records waiting, the oldest one's age) and the last hour's throughput. */
export default async function StreamsPage() {
  const user = await requireSupport('/support/streams');
  let streams;
  let error: string | null = null;
  try {
    streams = await (await serverCaller()).support.streams.throughput();
  } catch (err) {
    error = readableError(err);
  }
  const names = streamNames();
  return (
    <>
      <AppHeader user={user} />
      <main className="page wide">
        <h1>Streams</h1>
        <SupportNav current="streams" />
        {error && <p className="error" role="alert">{error}</p>}
        <div className="stream-grid">
          {streams?.map((s) => {
            const behind = s.backlog.unpublished > 0 && s.backlog.oldestAgeSeconds >= BEHIND_SECONDS;
            return (
              <section key={s.stream} className="card stream-card" aria-labelledby={`stream-${s.stream}`}>
                <h2 id={`stream-${s.stream}`}>{titles[s.stream]}</h2>
                <p className="muted small">Kinesis stream {names[s.stream]}</p>
                <p className={behind || s.backlog.lastError ? 'bad' : 'ok'}>
                  <strong>
                    {s.backlog.lastError ? 'Publishing fails' : behind ? 'Falling behind' : s.backlog.unpublished > 0 ? 'Publishing' : 'Up to date'}
                  </strong>
                </p>
                <dl className="facts">
                  <div><dt>Waiting to publish</dt><dd>{s.backlog.unpublished.toLocaleString('en-US')}</dd></div>
                  <div><dt>Oldest waiting</dt><dd>{s.backlog.oldestUnpublishedAt ? age(s.backlog.oldestAgeSeconds) : '—'}</dd></div>
                  <div><dt>Published last hour</dt><dd>{s.publishedLastHour.toLocaleString('en-US')}</dd></div>
                  <div><dt>Written last hour</dt><dd>{s.writtenLastHour.toLocaleString('en-US')}</dd></div>
                  <div><dt>Last published</dt><dd>{dateTime(s.lastPublishedAt)}</dd></div>
                </dl>
                {s.backlog.lastError && <p className="error">Last error: {publishErrorWords(s.backlog.lastError)}</p>}
                <ThroughputBars perBucket={s.perBucket} title={`${titles[s.stream]} published per 5 minutes, last hour`} />
              </section>
            );
          })}
        </div>
      </main>
    </>
  );
}
