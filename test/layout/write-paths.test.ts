import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, sourceFiles } from '../support/source-scan';

/**
 * One write path per entity (issue 14): only these modules write accounts and transactions, so
 * every change reaches the streams with its version. Anything else that writes the tables — by
 * the query builder or by SQL — fails here.
 */
const WRITE_PATHS = {
  plaid_accounts: { module: 'server/accounts/account-writes.ts', builder: 'plaidAccounts' },
  plaid_transactions: { module: 'server/transactions/transaction-writes.ts', builder: 'plaidTransactions' },
  // The daily balances are written where the balances are: no read can store one without the other.
  account_balance_snapshots: { module: 'server/accounts/account-writes.ts', builder: 'accountBalanceSnapshots' },
} as const;

const PRODUCTION_DIRS = ['server/', 'app/', 'inngest/', 'db/', 'packages/'];
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;
const production = sourceFiles().filter((f) => PRODUCTION_DIRS.some((d) => f.startsWith(d)) && !TEST_FILE.test(f) && !/(?:^|\/)test\//.test(f));

/** The places in `text` that write `table` (SQL or drizzle's builder under `builder`). */
function writesOf(text: string, table: string, builder: string): string[] {
  const patterns = [
    new RegExp(`\\b(?:insert\\s+into|update|delete\\s+from|truncate(?:\\s+table)?)\\s+"?${table}"?\\b`, 'gi'),
    new RegExp(`\\.(?:insert|update|delete)\\(\\s*${builder}\\s*\\)`, 'g'),
  ];
  return patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[0]));
}

describe('layout: one write path per entity', () => {
  it('finds writes in the write-path modules themselves (the scan sees what it looks for)', () => {
    for (const [table, { module, builder }] of Object.entries(WRITE_PATHS)) {
      expect(writesOf(readFileSync(path.join(repoRoot, module), 'utf8'), table, builder).length, module).toBeGreaterThan(0);
    }
    expect(writesOf('await db.update(plaidAccounts).set({})', 'plaid_accounts', 'plaidAccounts')).toHaveLength(1);
    expect(writesOf('sql`UPDATE plaid_transactions SET x = 1`', 'plaid_transactions', 'plaidTransactions')).toHaveLength(1);
  });

  it('no other production module writes plaid_accounts, plaid_transactions or account_balance_snapshots', () => {
    const offenders = production.flatMap((file) => {
      const text = readFileSync(path.join(repoRoot, file), 'utf8');
      return Object.entries(WRITE_PATHS).flatMap(([table, { module, builder }]) =>
        file === module ? [] : writesOf(text, table, builder).map((w) => `${file}: ${w}`),
      );
    });
    expect(offenders).toEqual([]);
  });
});
