/**
 * `npm run bench:emulator`: how many /transactions/sync pages of 500 the emulator serves per
 * second over HTTP through the official SDK. 20 items × ~5,000 transactions each, synced from
 * scratch by a few concurrent loops. The emulator runs in its own process (the CLI) so the SDK's
 * JSON parsing does not share a CPU with it; `--in-process` measures both in one process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Products } from 'plaid';
import { plaidClient, startEmulatorServer } from '@tributary/plaid-emulator/server';
import { result } from './bench/report';

async function startServer(): Promise<{ url: string; close(): Promise<void> }> {
  if (process.argv.includes('--in-process')) {
    return startEmulatorServer({ port: 0, seed: 'bench', rateLimits: false, initialUpdateDelayMs: 0, historicalUpdateDelayMs: 0, purchasesPerDay: 6.4 });
  }
  const child = spawn(process.execPath, ['node_modules/.bin/plaid-emulator', '--port', '0', '--seed', 'bench', '--no-rate-limits', '--pull-delay-ms', '0', '--purchases-per-day', '6.4'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout) {
    out += String(chunk);
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m?.[1]) {
      const url = m[1];
      return { url, close: async () => { child.kill('SIGTERM'); await once(child, 'exit'); } };
    }
  }
  throw new Error(`emulator did not start: ${out}`);
}

const ITEMS = 20;
const CONCURRENCY = 4;

const server = await startServer();
try {
  const plaid = plaidClient(server.url);
  const t0 = performance.now();
  const tokens: string[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const pt = await plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109508', initial_products: [Products.Transactions], options: { transactions: { days_requested: 730 } } });
    tokens.push((await plaid.itemPublicTokenExchange({ public_token: pt.data.public_token })).data.access_token);
  }
  const setupMs = performance.now() - t0;

  let pages = 0;
  let transactions = 0;
  let bytes = 0;
  const queue = [...tokens];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let token = queue.shift(); token; token = queue.shift()) {
        let cursor: string | undefined;
        for (;;) {
          const r = await plaid.transactionsSync({ access_token: token, count: 500, ...(cursor ? { cursor } : {}) });
          pages++;
          transactions += r.data.added.length + r.data.modified.length + r.data.removed.length;
          bytes += Number(r.headers['content-length'] ?? 0);
          cursor = r.data.next_cursor;
          if (!r.data.has_more) break;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  console.log(`items: ${ITEMS}, transactions: ${transactions} (${Math.round(transactions / ITEMS)} per item), setup ${Math.round(setupMs)} ms`);
  console.log(`sync pages of 500 served: ${pages} in ${seconds.toFixed(2)} s over HTTP via the plaid SDK, concurrency ${CONCURRENCY}`);
  console.log(`${(pages / seconds).toFixed(1)} pages/s, ${Math.round(transactions / seconds)} transactions/s, ${(bytes / seconds / 1e6).toFixed(1)} MB/s`);
  result('emulator', 'sync pages of 500 served/s', (pages / seconds).toFixed(1));
  result('emulator', 'transactions/s served', Math.round(transactions / seconds));
} finally {
  await server.close();
}
