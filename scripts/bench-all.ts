// `npm run bench`: every benchmark, one after another in this run, then one table of their
// figures and ratios (each bench prints its own `RESULT` lines; see scripts/bench/report.ts).
import { spawn } from 'node:child_process';

const benches = ['bench:emulator', 'bench:sync', 'bench:streams', 'bench:webhooks', 'bench:transactions-page'];
const rows: Array<{ bench: string; figure: string; value: string | number; note: string }> = [];
const failed: string[] = [];

for (const name of benches) {
  console.log(`\n=== npm run ${name} ===`);
  const child = spawn('npm', ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += String(chunk);
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('RESULT ')) rows.push(JSON.parse(line.slice(7)));
      else console.log(line);
    }
  });
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) failed.push(name);
}

console.log('\n=== all benchmarks (this run, this machine) ===');
const w = (s: string, n: number) => s.padEnd(n);
for (const r of rows) console.log(`${w(r.bench, 22)} ${w(r.figure, 46)} ${w(String(r.value), 14)} ${r.note}`);
const emulator = rows.find((r) => r.bench === 'emulator' && r.figure === 'transactions/s served');
const sync = rows.find((r) => r.bench === 'sync' && r.figure.startsWith('end-to-end transactions/s'));
if (emulator && sync) {
  console.log(`${w('emulator vs sync', 22)} ${w('emulator serves / sync consumes', 46)} ${(Number(emulator.value) / Number(sync.value)).toFixed(1)}×  (>1: the emulator is not the bottleneck)`);
}
if (failed.length) {
  console.log(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
