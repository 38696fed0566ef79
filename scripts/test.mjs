#!/usr/bin/env node
// `npm test`: type-check, then vitest (PGlite, and Postgres when TEST_DATABASE_URL is set), then
// Playwright in Chromium against the built app. Every stage runs; the exit code is non-zero if any failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { printFailures } from './test-failures.mjs';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const npm = 'npm';
// Each stage's results as JSON too (outside test-results/, which Playwright empties when it starts),
// for the digest of failures printed after the summary.
const reports = path.join(root, 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const json = (name) => ['--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, `${name}.json`)}`];
const stages = [
  ['typecheck', bin('tsc'), ['--noEmit', '-p', '.']],
  ['unit + integration (vitest)', bin('vitest'), ['run', ...json('vitest')], { TRIBUTARY_CORE_ONLY: '1' }],
  ['security suite (npm run test:security)', npm, ['run', 'test:security', '--', ...json('security')]],
  ['fault and crash suite (npm run test:faults)', npm, ['run', 'test:faults', '--', ...json('faults')]],
  ['end to end (playwright)', bin('playwright'), ['test'], { PLAYWRIGHT_JSON_OUTPUT_FILE: path.join(reports, 'playwright.json') }],
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
printFailures({ root, vitest: ['vitest', 'security', 'faults'].map((n) => path.join(reports, `${n}.json`)), playwright: path.join(reports, 'playwright.json') });
process.exit(results.every((r) => r.ok) ? 0 : 1);
