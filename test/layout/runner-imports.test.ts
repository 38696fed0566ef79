import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot as root, sourceFiles as repoSourceFiles, specifiers as specifiersIn } from '../support/source-scan';

/**
 * The embedded Inngest runner is its own package: it imports nothing from the app, and the app
 * reaches it only through its package name and declared exports, never by a path into its files.
 */
const pkgDir = path.join(root, 'packages/inngest-embedded');
const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/** Source files under an absolute directory, as absolute paths. */
const sourceFiles = (dir: string) => repoSourceFiles(path.relative(root, dir)).map((f) => path.join(root, f));
const specifiers = (file: string) => specifiersIn(readFileSync(file, 'utf8'));

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
