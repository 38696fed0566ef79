import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PGLITE_MALLOC_ENV } from './pglite-process';

describe('the embedded database process settings', () => {
  it('are what `npm start` sets before node starts (glibc reads them only then)', () => {
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
    const [assignments, command] = start.split(/ (?=node )/);
    expect(command).toBe('node scripts/start.mjs');
    expect(Object.fromEntries(assignments!.split(' ').map((a) => a.split('=')))).toEqual(PGLITE_MALLOC_ENV);
  });
});
