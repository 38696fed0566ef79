import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { playwrightFailures, printFailures, vitestFailures } from './test-failures.mjs';

afterEach(() => vi.restoreAllMocks());

test('vitest: a failed test and a file that failed to load are listed; passes are not', () => {
  const report = {
    testResults: [
      { name: '/repo/a.test.ts', status: 'failed', assertionResults: [
        { status: 'passed', fullName: 'fine' },
        { status: 'failed', fullName: 'adds', failureMessages: ['AssertionError: expected 2 to be 3'] },
      ] },
      { name: '/repo/b.test.ts', status: 'failed', message: 'Cannot find module x', assertionResults: [] },
      { name: '/repo/c.test.ts', status: 'passed', assertionResults: [{ status: 'passed', fullName: 'ok' }] },
    ],
  };
  expect(vitestFailures(report)).toEqual([
    { title: '/repo/a.test.ts › adds', error: 'AssertionError: expected 2 to be 3' },
    { title: '/repo/b.test.ts', error: 'Cannot find module x' },
  ]);
  expect(vitestFailures(null)).toEqual([]);
});

test('playwright: an unexpected result gives its last error and the page snapshot from error-context', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'failures-'));
  writeFileSync(path.join(dir, 'error-context.md'), '# Instructions\n\n```\nError\n```\n\n```yaml\n- heading "Your banks" [level=1]\n```\n');
  const report = {
    suites: [{ suites: [{ specs: [
      { file: 'e2e/x.spec.ts', line: 13, title: 'links', tests: [{ projectName: 'app', status: 'unexpected', results: [
        { errors: [{ message: 'first try' }] },
        { errors: [{ message: '\u001b[31mexpect(locator).toBeVisible() failed\u001b[39m' }], attachments: [{ name: 'error-context', path: 'error-context.md' }] },
      ] }] },
      { file: 'e2e/x.spec.ts', line: 40, title: 'flaky but passed', tests: [{ projectName: 'app', status: 'flaky', results: [] }] },
    ] }] }],
  };
  const failures = playwrightFailures(report, dir);
  expect(failures).toHaveLength(1);
  expect(failures[0]).toMatchObject({ title: '[app] e2e/x.spec.ts:13 › links', page: '- heading "Your banks" [level=1]\n' });

  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
  const file = path.join(dir, 'pw.json');
  writeFileSync(file, JSON.stringify(report));
  printFailures({ root: dir, vitest: [path.join(dir, 'missing.json')], playwright: file });
  const printed = lines.join('\n');
  expect(printed).toContain('=== failed tests (1) ===');
  // Colour codes are stripped; the page snapshot follows the error.
  expect(printed).toContain('    expect(locator).toBeVisible() failed');
  expect(printed).not.toContain('\u001b[');
  expect(printed).toMatch(/the page at the time:\n {4}- heading "Your banks"/);
});

test('nothing is printed when every test passed', () => {
  const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
  printFailures({ root: '/nowhere', vitest: ['/nowhere/v.json'], playwright: '/nowhere/p.json' });
  expect(spy).not.toHaveBeenCalled();
});
