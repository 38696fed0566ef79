import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closedPort } from '../support/streams';

/**
 * A Postgres cluster of a test's own (as .ci/run makes one): initdb into a temp directory, pg_ctl
 * on 127.0.0.1 at a free port. Postgres refuses to run as root, so as root its binaries run as the
 * `postgres` user (runuser). Only this cluster is ever restarted or stopped — by its data
 * directory, and, should pg_ctl fail, by its postmaster's PID — never a shared server.
 */
export async function startPrivatePostgres() {
  const bins = readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const bin = bins.at(-1);
  if (!bin) throw new Error('no Postgres binaries under /usr/lib/postgresql');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-faults-pg-'));
  const data = path.join(dir, 'data');
  const port = await closedPort();
  if (asRoot) {
    chmodSync(dir, 0o777);
    execFileSync('chown', ['postgres', dir]);
  }
  const run = (tool: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : path.join(bin, tool), asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args, { stdio: 'pipe', timeout: 60_000 });
  const options = `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=100`;
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', options, 'start']);
  const pid = () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let stopped = false;

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pid,
    /** `pg_ctl restart -m fast`: every connection is cut, the server is down for a moment, then back on the same port. */
    restart() {
      const before = pid();
      const started = performance.now();
      run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-m', 'fast', '-o', options, 'restart']);
      return { ms: performance.now() - started, oldPid: before, newPid: pid() };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      let postmaster = 0;
      try {
        postmaster = pid();
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        if (postmaster) {
          try {
            process.kill(postmaster, 'SIGQUIT');
          } catch {
            // already gone
          }
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type PrivatePostgres = Awaited<ReturnType<typeof startPrivatePostgres>>;
