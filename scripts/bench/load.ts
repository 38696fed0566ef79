import { fork } from 'node:child_process';
import path from 'node:path';
import type { LoadJob, LoadResult } from './open-loop-client';

export type { LoadResult };

/**
 * The load generator in a process of its own (open-loop-client.ts): the bench's own work (signing,
 * the emulator, the Inngest stub) cannot delay its timer, and its CPU use is reported apart.
 */
export async function startLoadGenerator() {
  const child = fork(path.join(import.meta.dirname, 'open-loop-client.ts'), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return {
    run(job: LoadJob): Promise<LoadResult> {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`load generator exited with ${code}`));
        child.once('exit', onExit);
        child.once('message', (m: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
          child.off('exit', onExit);
          if (m.ok) resolve(m.result);
          else reject(new Error(m.error));
        });
        child.send(job);
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** A raw HTTP/1.1 request, keep-alive, ready to write to a socket as is. */
export function rawRequest(method: string, pathName: string, host: string, headers: Record<string, string> = {}, body?: string | Buffer): Buffer {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const lines = [`${method} ${pathName} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== undefined) lines.push(`content-length: ${payload.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}
