import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot as root, sourceFiles, specifiers } from '../support/source-scan';

/**
 * The Plaid emulator is a package (packages/plaid-emulator): the app reaches it only through the
 * package name and its exports, and the package reaches nothing of the app.
 */
const PACKAGE_DIR = 'packages/plaid-emulator';
const PACKAGE_NAME = '@tributary/plaid-emulator';
/** Paths into the emulator's source, old or new, named in a string anywhere outside the package. */
const INTERNAL_PATH = /(?:packages\/plaid-emulator\/src|server\/plaid\/emulator)\b/;
const THIS_FILE = path.relative(root, import.meta.filename);

const exported = new Set(Object.keys((JSON.parse(readFileSync(path.join(root, PACKAGE_DIR, 'package.json'), 'utf8')) as { exports: Record<string, string> }).exports)
  .map((k) => (k === '.' ? PACKAGE_NAME : `${PACKAGE_NAME}/${k.slice(2)}`)));

/** Why `spec`, imported by `file` (outside the package), breaks the boundary; null when it does not. */
function outsideViolation(file: string, spec: string): string | null {
  if (spec.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    if (target === PACKAGE_DIR || target.startsWith(`${PACKAGE_DIR}/`) || target.startsWith('server/plaid/emulator')) {
      return `${file} imports ${spec}: use ${PACKAGE_NAME} and its exports`;
    }
    return null;
  }
  if ((spec === PACKAGE_NAME || spec.startsWith(`${PACKAGE_NAME}/`)) && !exported.has(spec)) {
    return `${file} imports ${spec}, which the package does not export (${[...exported].join(', ')})`;
  }
  return null;
}

/** Why `spec`, imported by `file` (inside the package), reaches out of it; null when it does not. */
function insideViolation(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  return target.startsWith(`${PACKAGE_DIR}/`) ? null : `${file} imports ${spec} (${target}), outside the package`;
}

const files = sourceFiles();
const inside = files.filter((f) => f.startsWith(`${PACKAGE_DIR}/`));
const outside = files.filter((f) => !f.startsWith(`${PACKAGE_DIR}/`) && f !== THIS_FILE);
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

describe('the Plaid emulator package boundary', () => {
  it('is reached from outside only through the package name and its exports', () => {
    const problems: string[] = [];
    let throughExports = 0;
    for (const file of outside) {
      const text = read(file);
      if (INTERNAL_PATH.test(text)) problems.push(`${file} names a path into the emulator's source`);
      for (const spec of specifiers(text)) {
        const why = outsideViolation(file, spec);
        if (why) problems.push(why);
        else if (exported.has(spec)) throughExports += 1;
      }
    }
    expect(problems).toEqual([]);
    // The app does use the emulator (mounted route, test harness, benchmarks): the scan saw them.
    expect(throughExports).toBeGreaterThan(5);
  });

  it('imports nothing from the app (server/, db/, app/, inngest/, test/ or anything else outside it)', () => {
    expect(inside.length).toBeGreaterThan(30);
    const problems = inside.flatMap((file) => specifiers(read(file)).map((spec) => insideViolation(file, spec)).filter((p) => p !== null));
    expect(problems).toEqual([]);
  });

  it('catches the imports it is meant to catch', () => {
    expect(specifiers(`import { a } from '../x';\nimport type { B } from "y";\nexport * from './z';\nconst m = await import('w');\nvi.mock('v');`))
      .toEqual(['../x', 'y', './z', 'w', 'v']);
    expect(outsideViolation('server/sync/sync-item.ts', '../../packages/plaid-emulator/src/core/state')).not.toBeNull();
    expect(outsideViolation('server/sync/sync-item.ts', '../plaid/emulator/state')).not.toBeNull();
    expect(outsideViolation('test/support/harness.ts', '@tributary/plaid-emulator/src/testing')).not.toBeNull();
    expect(outsideViolation('test/support/harness.ts', '@tributary/plaid-emulator/testing')).toBeNull();
    expect(insideViolation(`${PACKAGE_DIR}/src/core/items.ts`, '../../../../db/client')).not.toBeNull();
    expect(insideViolation(`${PACKAGE_DIR}/e2e/fixture.ts`, '../../../e2e/chromium')).not.toBeNull();
    expect(insideViolation(`${PACKAGE_DIR}/src/core/items.ts`, './state')).toBeNull();
    expect(INTERNAL_PATH.test("spawn(process.execPath, ['--import', 'tsx', 'server/plaid/emulator/cli.ts'])")).toBe(true);
  });
});
