import { readdirSync } from 'node:fs';
import path from 'node:path';

/** What the layout tests scan: the repository's own source, as paths relative to its root. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

const SKIP = new Set(['node_modules', '.git', '.next', '.data', '.test-data', 'test-results', 'playwright-report', '.bench', 'dist']);
const SOURCE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

/** Every source file under `dir` (repo-relative, '' for all), as repo-relative posix paths; no .d.ts. */
export function sourceFiles(dir = ''): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : sourceFiles(rel);
    return SOURCE.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Every module specifier a text imports, re-exports, requires, resolves or mocks. */
export function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require|vi\.mock|vi\.importActual|import\.meta\.resolve|require\.resolve)\s*\(\s*['"`]([^'"`]+)['"`]/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}
