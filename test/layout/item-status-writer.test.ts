import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, sourceFiles } from '../support/source-scan';

/**
 * An item's lifecycle columns have one writer, server/items/item-status.ts (docs/ITEM-LIFECYCLE.md):
 * no other production file updates plaid_items setting status, error, deadline, repair or removal
 * columns, so every door goes through the lifecycle and every change is announced.
 */
const WRITER = 'server/items/item-status.ts';
const LIFECYCLE_COLUMNS = /\b(?:status|errorCode|errorMessage|errorDisplayMessage|erroredAt|repairedAt|disconnectAt|removedAt)\s*:/;
const PRODUCTION = ['server', 'app', 'inngest', 'db', 'scripts'];

function lifecycleWritesIn(text: string): string[] {
  const found: string[] = [];
  // `.update(plaidItems)` followed by its `.set({ ... })`, and raw SQL updates of plaid_items.
  for (const m of text.matchAll(/\.update\(\s*plaidItems\s*\)\s*\.set\(\s*(\{[\s\S]*?\}|[A-Za-z_.]+)\s*\)/g)) {
    if (!m[1]!.startsWith('{') || LIFECYCLE_COLUMNS.test(m[1]!)) found.push(m[0].slice(0, 80));
  }
  for (const m of text.matchAll(/update\s+"?plaid_items"?\s+set\s+[^;`]*?\b(status|error_code|errored_at|removed_at|repaired_at)\b/gi)) found.push(m[0].slice(0, 80));
  return found;
}

describe('item lifecycle columns have one writer', () => {
  it('finds a planted write (the scan can fail)', () => {
    expect(lifecycleWritesIn(`await db.update(plaidItems).set({ status: 'ERROR' }).where(x)`)).toHaveLength(1);
    expect(lifecycleWritesIn(`await tx.update(plaidItems).set(change).where(x)`)).toHaveLength(1);
    expect(lifecycleWritesIn('sql`update plaid_items set removed_at = now()`')).toHaveLength(1);
    expect(lifecycleWritesIn(`await db.update(plaidItems).set({ lastSyncedAt: new Date() })`)).toEqual([]);
  });

  it('no production file but the writer sets them', () => {
    const offenders = PRODUCTION.flatMap((dir) => sourceFiles(dir))
      .filter((f) => f !== WRITER && !/\.test\.tsx?$/.test(f) && !f.startsWith('db/migrations'))
      .flatMap((f) => lifecycleWritesIn(readFileSync(path.join(repoRoot, f), 'utf8')).map((w) => `${f}: ${w}`));
    expect(offenders).toEqual([]);
  });
});
