import { requireSupport } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { dateTime } from '../../_components/format';
import { SupportNav } from '../_components/support-nav';

export const dynamic = 'force-dynamic';

/** Per Kinesis stream: the outbox backlog (what waits to be published) and the latest records on the stream. */
export default async function StreamsPage() {
  const user = await requireSupport('/support/streams');
  let streams;
  let error: string | null = null;
  try {
    streams = await (await serverCaller()).support.streams.overview({ limit: 10 });
  } catch (err) {
    error = readableError(err);
  }
  return (
    <>
      <AppHeader user={user} />
      <main className="page wide">
        <h1>Streams</h1>
        <SupportNav current="streams" />
        {error && <p className="error" role="alert">{error}</p>}
        {streams?.map((s) => (
          <section key={s.stream} className="card" aria-labelledby={`stream-${s.stream}`}>
            <h2 id={`stream-${s.stream}`}>{s.stream} <code className="muted">{s.name}</code></h2>
            <dl className="facts">
              <div><dt>Waiting to publish</dt><dd>{s.backlog.unpublished.toLocaleString('en-US')}</dd></div>
              <div><dt>Oldest waiting</dt><dd>{s.backlog.oldestUnpublishedAt ? `${dateTime(s.backlog.oldestUnpublishedAt)} (${s.backlog.oldestAgeSeconds} s)` : '—'}</dd></div>
              <div><dt>Last publish error</dt><dd className={s.backlog.lastError ? 'bad' : undefined}>{s.backlog.lastError ?? 'none'}</dd></div>
            </dl>
            {s.error && <p className="error" role="alert">Could not read the stream: {s.error}</p>}
            {s.latest.length === 0 ? <p className="muted">No records on this stream yet.</p> : (
              <ol className="timeline">
                {[...s.latest].reverse().map((r) => (
                  <li key={`${r.shardId}-${r.sequenceNumber}`}>
                    <details>
                      <summary>{dateTime(r.arrivedAt)} · key <code>{r.partitionKey}</code> · {r.shardId}</summary>
                      <pre className="raw">{JSON.stringify(r.data, null, 2)}</pre>
                    </details>
                  </li>
                ))}
              </ol>
            )}
          </section>
        ))}
      </main>
    </>
  );
}
