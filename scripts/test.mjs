#!/usr/bin/env node
// `npm test`: type-check, then vitest (PGlite, and Postgres when TEST_DATABASE_URL is set), then
// Playwright in Chromium against the built app. Every stage runs; the exit code is non-zero if any failed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const npm = 'npm';
const stages = [
  ['typecheck', bin('tsc'), ['--noEmit', '-p', '.']],
  ['unit + integration (vitest)', bin('vitest'), ['run'], { TRIBUTARY_CORE_ONLY: '1' }],
  ['security suite (npm run test:security)', npm, ['run', 'test:security']],
  ['fault and crash suite (npm run test:faults)', npm, ['run', 'test:faults']],
  ['end to end (playwright)', bin('playwright'), ['test']],
];

const results = [];
for (const [name, cmd, args, env = {}] of stages) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  results.push({ name, ok: run.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}
console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds}s)`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
