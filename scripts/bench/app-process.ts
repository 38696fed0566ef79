import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Starts the built app (building if needed) on 127.0.0.1 with a throwaway data dir; stopped by PID. */
export async function startApp(env: Record<string, string>, port: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-bench-'));
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/api/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('app did not become ready');
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    base,
    /** CPU time (ms) the app's processes have used so far; null where /proc cannot tell (not Linux). */
    cpuMs: () => processTreeCpuMs(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * User + system CPU of a process and its descendants, from /proc (Linux). Clock ticks are 100 per
 * second on Linux's usual builds; an idle app gains none, so 0 per request is visible as such.
 */
function processTreeCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    let ms = (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14, 15)
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      for (const kid of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) {
        ms += processTreeCpuMs(Number(kid)) ?? 0;
      }
    }
    return ms;
  } catch {
    return null;
  }
}

/** Signs in through better-auth and returns the session cookie. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** Calls a tRPC mutation over HTTP (superjson wire format). */
export async function trpcMutation<T>(base: string, cookie: string, pathName: string, input: unknown): Promise<T> {
  const res = await fetch(`${base}/api/trpc/${pathName}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!body.result) throw new Error(`${pathName} failed: ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}
