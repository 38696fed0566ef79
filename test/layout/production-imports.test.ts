import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, sourceFiles, specifiers } from '../support/source-scan';

/**
 * Test support lives in test/support/ (and a package's own test/ folder or `./testing` export):
 * production code imports none of it, and no test helper sits among production files.
 */
const PRODUCTION_DIRS = ['server', 'app', 'inngest', 'db', 'packages'];
const PRODUCTION_FILES = ['instrumentation.ts', 'proxy.ts', 'scripts/serve.mjs', 'scripts/start.mjs'];

/** Each workspace package's `./testing` export: the package's test support, by design. */
const packageTestingEntries = new Set(
  readdirSync(path.join(repoRoot, 'packages')).flatMap((name) => {
    const dir = `packages/${name}`;
    const { exports } = JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8')) as { exports: Record<string, string> };
    return exports['./testing'] ? [path.posix.join(dir, exports['./testing'])] : [];
  }),
);

const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;
/** Tests, test folders, and tool configuration: not production code. */
const notProduction = (file: string) =>
  TEST_FILE.test(file) || /(?:^|\/)(?:test|e2e)\//.test(file) || /(?:^|\/)(?:vitest|playwright)\.config\.[cm]?[jt]s$/.test(file) || packageTestingEntries.has(file);

const isProduction = (file: string) =>
  (PRODUCTION_FILES.includes(file) || PRODUCTION_DIRS.some((d) => file.startsWith(`${d}/`))) && !notProduction(file);

const TEST_PACKAGES = new Set(['vitest', '@playwright/test', '@inngest/test']);
const HELPER_NAME = /^(?:testing|test-.+|.+-testing|.*fixtures?.*)\.[cm]?[jt]sx?$/;

/** Why `spec`, imported by the production file `file`, reaches test code; null when it does not. */
function importViolation(file: string, spec: string): string | null {
  if (spec.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const asFile = /\.[cm]?[jt]sx?$/.test(target) ? target : `${target}.ts`;
    if (/(?:^|\/)(?:test|e2e)(?:\/|$)/.test(target)) return `${file} imports ${spec} (${target}), test code`;
    if (TEST_FILE.test(asFile) || packageTestingEntries.has(asFile) || HELPER_NAME.test(path.posix.basename(asFile))) {
      return `${file} imports ${spec} (${target}), a test file or helper`;
    }
    return null;
  }
  const bare = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  if (TEST_PACKAGES.has(bare)) return `${file} imports ${spec}, a test framework`;
  if (spec !== bare && /(?:^|\/)testing$/.test(spec)) return `${file} imports ${spec}, a package's testing export`;
  return null;
}

const production = sourceFiles().filter(isProduction);

describe('layout: production code and test support', () => {
  it('production code imports no test code, test helper or test framework', () => {
    // The scan sees the app: its routes, domain, jobs, schema and packages.
    for (const dir of PRODUCTION_DIRS) expect(production.some((f) => f.startsWith(`${dir}/`)), dir).toBe(true);
    expect(production).toEqual(expect.arrayContaining(PRODUCTION_FILES));
    const problems = production.flatMap((file) =>
      specifiers(readFileSync(path.join(repoRoot, file), 'utf8')).map((spec) => importViolation(file, spec)).filter((p) => p !== null),
    );
    expect(problems).toEqual([]);
  });

  it('no test helper (testing.ts, test-*.ts, *-testing.ts, *fixtures*) lives among production files', () => {
    expect(production.filter((f) => HELPER_NAME.test(path.posix.basename(f)))).toEqual([]);
  });

  it('catches the imports it is meant to catch', () => {
    expect(importViolation('server/sync/sync-item.ts', '../../test/support/harness')).not.toBeNull();
    expect(importViolation('app/page.tsx', '../test/support/db')).not.toBeNull();
    expect(importViolation('server/items/x.ts', './link-item.test')).not.toBeNull();
    expect(importViolation('server/sync/x.ts', './testing')).not.toBeNull();
    expect(importViolation('server/webhooks/x.ts', './handle/webhook-fixtures')).not.toBeNull();
    expect(importViolation('packages/inngest-embedded/src/runner.ts', './testing')).not.toBeNull();
    expect(importViolation('packages/inngest-embedded/src/runner.ts', '../test/world')).not.toBeNull();
    expect(importViolation('inngest/client.ts', '@tributary/inngest-embedded/testing')).not.toBeNull();
    expect(importViolation('server/x.ts', 'vitest')).not.toBeNull();
    expect(importViolation('server/x.ts', '@inngest/test')).not.toBeNull();
    expect(importViolation('server/x.ts', '@playwright/test')).not.toBeNull();
    expect(importViolation('inngest/client.ts', '@tributary/inngest-embedded')).toBeNull();
    expect(importViolation('server/sync/sync-item.ts', './sync-loop')).toBeNull();
    expect(importViolation('server/streams/x.ts', './transaction-changes')).toBeNull();
    expect(isProduction('server/sync/sync-item.db.test.ts')).toBe(false);
    expect(isProduction('packages/plaid-emulator/test/api.test.ts')).toBe(false);
    expect(isProduction('packages/inngest-embedded/src/testing.ts')).toBe(false);
    expect(isProduction('packages/inngest-embedded/src/runner.ts')).toBe(true);
    expect(isProduction('scripts/bench-sync.ts')).toBe(false);
  });
});
