#!/usr/bin/env node
// `npm run test:faults`: the fault and crash-safety suites (test/faults) with vitest, then one
// table of their figures — faults injected, recovered, lost — read from test-results/faults/.
// Exits non-zero when a test failed, a suite left no figures, or anything was lost.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const figuresDir = path.join(root, 'test-results/faults');
const suites = ['plaid-faults', 'webhook-faults', 'crash-safety', 'postgres-restart', 'kinesis-outage'];

rmSync(figuresDir, { recursive: true, force: true });
const started = Date.now();
const run = spawnSync(path.join(root, 'node_modules/.bin', 'vitest'), ['run', 'test/faults', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});

const rows = [];
const missing = [];
for (const suite of suites) {
  const file = path.join(figuresDir, `${suite}.json`);
  if (existsSync(file)) rows.push(...JSON.parse(readFileSync(file, 'utf8')));
  else missing.push(suite);
}
const sum = (key) => rows.reduce((s, r) => s + r[key], 0);
const total = { suite: 'TOTAL', fault: `${rows.length} scenarios`, injected: sum('injected'), recovered: sum('recovered'), lost: sum('lost'), checked: sum('checked'), note: '' };

console.log('\n=== fault figures ===');
console.table([...rows, total].map((r) => ({ suite: r.suite, fault: r.fault, injected: r.injected, recovered: r.recovered, lost: r.lost, checked: r.checked, note: r.note ?? '' })));
console.log(`faults injected ${total.injected}, recovered ${total.recovered}, lost ${total.lost} — ${((Date.now() - started) / 1000).toFixed(1)}s`);
if (missing.length) console.log(`no figures from: ${missing.join(', ')}`);

const ok = run.status === 0 && missing.length === 0 && total.lost === 0 && total.recovered === total.injected;
console.log(ok ? 'PASS' : 'FAIL');
process.exit(ok ? 0 : 1);
