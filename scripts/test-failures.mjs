// `npm test`'s last words: every failed test of the run, with its error and (for Playwright) what
// the page showed, printed AFTER the summary. CI keeps only the tail of a long log; without this the
// reason for a red run is thousands of lines above it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ansi = /\u001b\[[0-9;]*m/g;
const clip = (text, lines) => {
  const all = String(text ?? '').replace(ansi, '').trimEnd().split('\n');
  return all.length > lines ? [...all.slice(0, lines), `… (${all.length - lines} more lines)`] : all;
};
const indent = (lines) => lines.map((l) => `    ${l}`).join('\n');
const readJson = (file) => {
  try {
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  } catch {
    return null;
  }
};

/** Failures in a vitest JSON report (jest's shape): one per failed test, or per file that failed to load. */
export function vitestFailures(report) {
  const out = [];
  for (const file of report?.testResults ?? []) {
    const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failed) out.push({ title: `${file.name} › ${a.fullName}`, error: (a.failureMessages ?? []).join('\n') });
    if (failed.length === 0 && file.status === 'failed') out.push({ title: file.name, error: file.message });
  }
  return out;
}

/** The accessibility snapshot of the page in Playwright's error-context file (its ```yaml block). */
function pageSnapshot(markdown) {
  return /```yaml\n([\s\S]*?)```/.exec(markdown)?.[1] ?? null;
}

/** Failures in a Playwright JSON report: the last attempt's error, and the page's state at the time. */
export function playwrightFailures(report, root) {
  const out = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const last = test.results?.at(-1);
        const context = last?.attachments?.find((a) => a.name === 'error-context' && a.path);
        const contextFile = context ? path.resolve(root, context.path) : null;
        out.push({
          title: `[${test.projectName}] ${spec.file}:${spec.line} › ${spec.title}`,
          error: (last?.errors ?? []).map((e) => e.message ?? e.value ?? '').join('\n') || last?.error?.message,
          page: contextFile && existsSync(contextFile) ? pageSnapshot(readFileSync(contextFile, 'utf8')) : null,
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report?.suites ?? []) walk(suite);
  return out;
}

/** Prints the digest for the reports that exist; nothing when all passed. */
export function printFailures(reports) {
  const failures = [
    ...reports.vitest.flatMap((f) => vitestFailures(readJson(f))),
    ...playwrightFailures(readJson(reports.playwright), reports.root),
  ];
  if (failures.length === 0) return;
  console.log(`\n=== failed tests (${failures.length}) ===`);
  const relative = (text) => String(text ?? '').replaceAll(`${reports.root}/`, '');
  for (const f of failures.slice(0, 10)) {
    console.log(`✘ ${relative(f.title)}\n${indent(clip(relative(f.error), 25))}`);
    if (f.page) console.log(`  the page at the time:\n${indent(clip(f.page, 50))}`);
  }
  if (failures.length > 10) console.log(`… and ${failures.length - 10} more (see above)`);
}
