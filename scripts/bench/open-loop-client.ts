// The load generator of the HTTP benches, run as its own process (see load.ts) so that timing the
// requests does not share an event loop with anything else in the bench. It writes pre-built
// HTTP/1.1 requests on raw keep-alive sockets, open-loop: request i is due at start + i / rate
// whatever the server does, and its latency runs from that due time (a late server or a late
// timer both count: no coordinated omission). A request waits for a free connection only when
// `maxConnections` are all busy, and that wait counts too.
import { connect, type Socket } from 'node:net';

export interface LoadJob {
  host: string;
  port: number;
  /** Raw requests (request line, headers, body), sent in turn: request i is `requests[i % n]`. */
  requests: Buffer[];
  rate: number;
  count: number;
  maxConnections: number;
  timeoutMs: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** HTTP status → count; 0 = no answer (socket error or timeout). */
  statuses: Record<string, number>;
  /** How late the generator's own timer was: 99th percentile and worst of start time − due time. */
  sendLagP99: number;
  sendLagMax: number;
  connections: number;
  /** The generator's own CPU time over the run, as a share of one core. */
  cpuShare: number;
  /** Worst latency (ms) of the requests due in each 100 ms of the run, in order, from `startedAt` (epoch ms). */
  timeline: number[];
  startedAt: number;
}

/** One keep-alive connection with at most one request in flight, and a minimal response parser. */
class Conn {
  private buf: Buffer = Buffer.alloc(0);
  private onDone: ((status: number) => void) | null = null;
  dead = false;
  lastUsed = performance.now();
  readonly socket: Socket;
  constructor(host: string, port: number, onClose: (c: Conn) => void) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = () => {
      this.dead = true;
      const done = this.onDone;
      this.onDone = null;
      done?.(0);
      onClose(this);
    };
    this.socket.on('error', fail);
    this.socket.on('close', fail);
  }
  send(request: Buffer, done: (status: number) => void) {
    this.onDone = done;
    this.buf = Buffer.alloc(0);
    this.socket.write(request);
  }
  private onData(chunk: Buffer) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0 || !this.onDone) return;
    const head = this.buf.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const body = this.buf.subarray(end + 4);
    let complete: boolean;
    if (length) complete = body.length >= Number(length[1]);
    else if (/\r\ntransfer-encoding: *chunked/i.test(head)) complete = chunkedComplete(body);
    else complete = status === 204 || status === 304;
    if (!complete) return;
    const done = this.onDone;
    this.onDone = null;
    if (/\r\nconnection: *close/i.test(head)) this.socket.destroy();
    done(status);
  }
}

/** True once a chunked body has its terminating zero-length chunk. */
function chunkedComplete(body: Buffer): boolean {
  let at = 0;
  for (;;) {
    const nl = body.indexOf('\r\n', at);
    if (nl < 0) return false;
    const size = Number.parseInt(body.subarray(at, nl).toString('latin1'), 16);
    if (size === 0) return body.length >= nl + 4;
    at = nl + 2 + size + 2;
    if (at > body.length) return false;
  }
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const interval = 1000 / job.rate;
  const latencies = new Float64Array(job.count).fill(Number.NaN);
  const lags = new Float64Array(job.count);
  const statuses = new Map<number, number>();
  const idle: Conn[] = [];
  const all = new Set<Conn>();
  const waiting: number[] = [];
  let opened = 0;
  let finished = 0;
  let lastDone = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const due = (i: number) => started + i * interval;

  let resolveAll!: () => void;
  const allDone = new Promise<void>((r) => (resolveAll = r));
  const record = (i: number, status: number) => {
    const now = performance.now();
    latencies[i] = now - due(i);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    lastDone = now;
    if (++finished === job.count) resolveAll();
  };
  const release = (c: Conn) => {
    c.lastUsed = performance.now();
    const next = waiting.shift();
    if (next !== undefined) dispatch(next, c);
    else idle.push(c);
  };
  const dispatch = (i: number, conn: Conn) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      record(i, 0);
      conn.socket.destroy();
    }, job.timeoutMs);
    conn.send(job.requests[i % job.requests.length]!, (status) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      record(i, status);
      if (status !== 0 && !conn.dead) release(conn);
    });
  };
  const onClose = (c: Conn) => {
    all.delete(c);
    const at = idle.indexOf(c);
    if (at >= 0) idle.splice(at, 1);
  };
  const start = (i: number) => {
    lags[i] = performance.now() - due(i);
    let conn = idle.pop();
    while (conn?.dead) conn = idle.pop();
    if (!conn && all.size < job.maxConnections) {
      conn = new Conn(job.host, job.port, onClose);
      all.add(conn);
      opened++;
    }
    if (conn) dispatch(i, conn);
    else waiting.push(i);
  };

  // The pacer wakes for the next due request and starts every request that is due by then.
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Close connections idle for a second (the bottom of the idle stack) before the server's
      // keep-alive timeout does: a request written as the server closes would fail.
      while (idle.length > 0 && now - idle[0]!.lastUsed > 1000) idle.shift()!.socket.destroy();
      while (next < job.count && due(next) <= now) start(next++);
      if (next >= job.count) return resolve();
      setTimeout(tick, Math.max(0, due(next) - performance.now()));
    };
    tick();
  });
  await allDone;
  const cpu = process.cpuUsage(cpu0);
  for (const c of all) c.socket.destroy();

  const seconds = (lastDone - started) / 1000;
  const timeline: number[] = [];
  for (let i = 0; i < job.count; i++) {
    const slot = Math.floor((i * interval) / 100);
    timeline[slot] = Math.max(timeline[slot] ?? 0, latencies[i]!);
  }
  const sorted = Float64Array.from(latencies).sort();
  const sortedLags = Float64Array.from(lags).sort();
  const pct = (a: Float64Array, p: number) => a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))] ?? Number.NaN;
  return {
    requests: job.count,
    seconds,
    throughput: job.count / seconds,
    p50: pct(sorted, 50),
    p95: pct(sorted, 95),
    p99: pct(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    statuses: Object.fromEntries(statuses),
    sendLagP99: pct(sortedLags, 99),
    sendLagMax: sortedLags[sortedLags.length - 1] ?? Number.NaN,
    connections: opened,
    cpuShare: (cpu.user + cpu.system) / 1000 / (lastDone - started),
    timeline,
    startedAt: performance.timeOrigin + started,
  };
}

// Forked by load.ts: one job per message, one result back.
if (process.send) {
  process.on('message', (job: LoadJob) => {
    runLoad({ ...job, requests: job.requests.map((r) => Buffer.from(r)) }).then(
      (result) => process.send!({ ok: true, result }),
      (err: unknown) => process.send!({ ok: false, error: String(err) }),
    );
  });
}
