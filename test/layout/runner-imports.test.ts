import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The embedded Inngest runner is its own package: it imports nothing from the app, and the app
 * reaches it only through its package name and declared exports, never by a path into its files.
 */
const root = path.resolve(import.meta.dirname, '../..');
const pkgDir = path.join(root, 'packages/inngest-embedded');
const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

const skipDirs = new Set(['node_modules', '.git', '.next', '.data', '.test-data', 'test-results', 'playwright-report', '.bench']);
const sourceFile = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skipDirs.has(entry.name) ? [] : sourceFiles(full);
    return sourceFile.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every module specifier a file imports, re-exports, dynamically imports or requires. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const inside = (dir: string, target: string) => target === dir || target.startsWith(dir + path.sep);
const rel = (file: string) => path.relative(root, file);

describe('layout: @tributary/inngest-embedded', () => {
  it('imports nothing from the app: only its own files, Node built-ins and its declared dependencies', () => {
    const declared = new Set([
      pkg.name,
      ...Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies }),
    ]);
    const builtins = new Set(builtinModules);
    const offending: string[] = [];
    const files = sourceFiles(pkgDir);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      for (const s of specifiers(file)) {
        const ok = s.startsWith('.')
          ? inside(pkgDir, path.resolve(path.dirname(file), s))
          : s.startsWith('node:') || builtins.has(s) || declared.has(packageName(s));
        if (!ok) offending.push(`${rel(file)} imports '${s}'`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('is used from outside only through its package name and declared exports', () => {
    const subpaths = new Set(Object.keys(pkg.exports).map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`)));
    const offending: string[] = [];
    const users = new Set<string>();
    for (const file of sourceFiles(root)) {
      if (inside(pkgDir, file)) continue;
      for (const s of specifiers(file)) {
        if (s.startsWith('.')) {
          if (inside(pkgDir, path.resolve(path.dirname(file), s))) offending.push(`${rel(file)} imports '${s}'`);
        } else if (packageName(s) === pkg.name) {
          if (subpaths.has(s)) users.add(rel(file));
          else offending.push(`${rel(file)} imports '${s}' (not in the package's exports)`);
        } else if (s.includes('packages/inngest-embedded')) {
          offending.push(`${rel(file)} imports '${s}'`);
        }
      }
    }
    expect(offending).toEqual([]);
    // The scan sees the app's real entry points (so an empty result above means something).
    expect([...users]).toEqual(expect.arrayContaining(['inngest/client.ts', 'inngest/embedded.ts', 'db/schema/jobs.ts']));
  });
});
