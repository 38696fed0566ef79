import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The fault suites' figures. One row per scenario:
 * - injected: faults the system actually met (emulator faults consumed, webhook attempts
 *   refused, processes killed) — not merely armed;
 * - recovered: those faults after which every item converged with nothing lost;
 * - lost: changes, balances, stream records and webhooks missing or wrong at the end (see
 *   convergence.ts) — the suites assert it is 0;
 * - checked: transactions + webhooks compared at the end, so a 0 means something.
 * Each suite prints its table and leaves it as JSON for scripts/test-faults.mjs to add up.
 */
export interface FaultFigure {
  suite: string;
  fault: string;
  injected: number;
  recovered: number;
  lost: number;
  checked: number;
  note?: string;
}

export const FIGURES_DIR = fileURLToPath(new URL('../../test-results/faults/', import.meta.url));

export function createFigures(suite: string) {
  const rows: FaultFigure[] = [];
  return {
    rows,
    add(row: Omit<FaultFigure, 'suite' | 'recovered'> & { converged: boolean }) {
      const { converged, fault, injected, lost, checked, note } = row;
      rows.push({ suite, fault, injected, recovered: converged && lost === 0 ? injected : 0, lost, checked, ...(note ? { note } : {}) });
    },
    /** Prints the table and writes test-results/faults/<suite>.json. */
    print() {
      console.table(rows.map(({ suite: _s, ...r }) => r));
      mkdirSync(FIGURES_DIR, { recursive: true });
      writeFileSync(`${FIGURES_DIR}${suite}.json`, `${JSON.stringify(rows, null, 2)}\n`);
    },
  };
}
