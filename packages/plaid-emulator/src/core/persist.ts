import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StateData } from './state';

/**
 * State on disk: one JSON file, written atomically (temp file + rename) shortly after changes,
 * and flushed on close. A file from another version or a broken file is ignored, not fatal.
 */
export function loadState(path: string, log: (m: string, f?: Record<string, unknown>) => void): StateData | null {
  if (!existsSync(path)) return null;
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as StateData;
    if (data?.version !== 1 || typeof data.items !== 'object') throw new Error('unknown state version');
    return data;
  } catch (e) {
    log('emulator state file ignored', { path, error: e instanceof Error ? e.message : String(e) });
    return null;
  }
}

export interface Persister { schedule(): void; flush(): void }

export function createPersister(path: string, getState: () => StateData, delayMs = 50): Persister {
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(getState()));
    renameSync(tmp, path);
  };
  return {
    schedule() {
      if (timer) return;
      timer = setTimeout(flush, delayMs);
      timer.unref();
    },
    flush,
  };
}
