import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client';
import { jobRuns } from '../../db/schema';

/**
 * SIGTERM to a server process mid-step (test/shutdown/server-process.ts: the real process
 * container, shutdown and front on PGlite on disk, kinesalite and the mounted emulator). The
 * process answers the request in flight, refuses new ones (503, Connection: close) but still
 * serves the emulator its jobs call, lets the step in flight finish, releases the run's claim at
 * once (60 s lease, never waited for), closes everything, logs each phase and exits 0 well within
 * the grace. A second process on the same database then resumes the run without redoing a step.
 */
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-shutdown-'));
const STEP_MS = 1500;
const GRACE_MS = 8000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface ServerProcess {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  /** The first stdout JSON line matching, within timeoutMs. */
  line(match: (l: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; at: number }>;
}

function startServer(extraEnv: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/shutdown/server-process.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', DATA_DIR: dataDir, LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: String(GRACE_MS), FIXTURE_STEP_MS: String(STEP_MS), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  let buffer = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as Record<string, unknown>);
      } catch {
        // not a JSON line
      }
    }
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
  const line = async (match: (l: Record<string, unknown>) => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(match);
      if (found) return found;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no such line from the server process; stderr:\n${stderr.slice(-2000)}`);
      await sleep(20);
    }
  };
  return { child, lines, line, exited };
}

const fixture = (name: string) => (l: Record<string, unknown>) => l.fixture === name;
const message = (text: string) => (l: Record<string, unknown>) => typeof l.msg === 'string' && l.msg.includes(text);

describe('graceful stop on SIGTERM', () => {
  let runId = '';
  let firstPid = 0;

  it('finishes the request and the step in flight, releases the claim at once, closes everything and exits 0', async () => {
    const s = startServer({ FIXTURE_SEND: '1' });
    firstPid = s.child.pid!;
    const { port } = await s.line(fixture('listening'), 45_000);
    const base = `http://127.0.0.1:${port as number}`;
    runId = (await s.line(fixture('sent'))).runId as string;
    await s.line(fixture('step-started'));

    const inFlight = fetch(`${base}/slow?ms=700`).then(async (r) => ({ status: r.status, body: await r.text(), at: Date.now() }));
    await sleep(100);
    const signalled = Date.now();
    s.child.kill('SIGTERM');
    await s.line(message('shutdown: refusing new requests'), 5000);
    const refused = await fetch(`${base}/dashboard`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('connection')).toBe('close');
    const emulator = await fetch(`${base}/api/plaid-emulator/institutions/get`, { method: 'POST' });
    expect(await emulator.text()).toBe('emulator');

    expect(await inFlight).toMatchObject({ status: 200, body: 'next' });
    const { code, at } = await s.exited;
    const took = at - signalled;
    expect(code).toBe(0);
    // The step (1.5 s, begun before the signal) finishes; nothing waits for the grace or the lease.
    expect(took).toBeLessThan(GRACE_MS);
    console.log(`SIGTERM → exit 0 in ${took} ms (step ${STEP_MS} ms, grace ${GRACE_MS} ms, lease 60 s)`);

    const stopped = s.lines.find(message('embedded inngest runner stopped'));
    expect(stopped).toMatchObject({ released: 1, abandoned: 0 });
    for (const phase of [
      'shutdown: requests in flight done',
      'shutdown: embedded Inngest runner stopped',
      'shutdown: stopped listening',
      'shutdown: Kinesis client closed, kinesalite stopped',
      'shutdown: mounted Plaid emulator closed',
      'shutdown: database closed',
      'shutdown: complete',
    ]) {
      expect(s.lines.find(message(phase)), phase).toBeDefined();
    }
    expect(existsSync(path.join(dataDir, 'emulator/state.json'))).toBe(true);

    // The database the process closed (PGlite flushed it): the run is queued again, claim cleared.
    const h = openDb({ dataDir: path.join(dataDir, 'pglite') });
    try {
      const [row] = await h.db.select().from(jobRuns).where(eq(jobRuns.id, runId));
      expect(row).toMatchObject({ status: 'QUEUED', lockedBy: null, lockedUntil: null });
      expect(row!.runAt.getTime()).toBeLessThanOrEqual(Date.now());
      // 'first' and 'in-flight' were saved before the claim went back.
      expect(row!.stack).toHaveLength(2);
    } finally {
      await h.close();
    }
  }, 90_000);

  it('a new process resumes the released run at once and redoes no step', async () => {
    expect(runId).not.toBe('');
    const s = startServer({ FIXTURE_WAIT_RUN: runId });
    const done = await s.line(fixture('run-finished'), 45_000);
    // Claimed on the first poll: a kept claim would have held it for its 60 s lease.
    expect(done.ms as number).toBeLessThan(5000);
    expect(done).toMatchObject({ status: 'COMPLETED', output: { first: firstPid, inFlight: firstPid, last: s.child.pid } });
    expect(s.lines.filter(fixture('step-started'))).toHaveLength(0);
    console.log(`released run resumed and finished ${done.ms as number} ms after the new runner started`);

    const signalled = Date.now();
    s.child.kill('SIGTERM');
    const { code, at } = await s.exited;
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(GRACE_MS);
  }, 90_000);
});
