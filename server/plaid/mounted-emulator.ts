import path from 'node:path';
import { env } from '../env';
import { logger } from '../logger';
import { processContainer } from '../process/container';
import { createEmulator, type Emulator } from '@tributary/plaid-emulator';

export const EMULATOR_MOUNT = '/api/plaid-emulator';

/** True when the app serves the emulator itself (emulator mode without a standalone emulator URL). */
export function mountsEmulator(): boolean {
  const e = env();
  return e.plaidEnv === 'emulator' && !e.PLAID_EMULATOR_URL;
}

/** The emulator mounted in the app, its state persisted under DATA_DIR so items survive restarts. */
export function mountedEmulator(): Emulator {
  const c = processContainer();
  if (!c.emulator) {
    const e = env();
    const log = logger().child({ component: 'plaid-emulator' });
    c.emulator = createEmulator({
      mountPath: EMULATOR_MOUNT,
      persistPath: path.resolve(e.DATA_DIR, 'emulator/state.json'),
      clientId: e.PLAID_EMULATOR_CLIENT_ID,
      secret: e.PLAID_EMULATOR_SECRET,
      log: (message, fields) => log.debug(fields ?? {}, message),
    });
  }
  return c.emulator;
}

/** Closes the mounted emulator, if one was made (it writes its state to DATA_DIR on close). */
export async function closeMountedEmulator(): Promise<boolean> {
  const c = processContainer();
  const emulator = c.emulator;
  c.emulator = undefined;
  await emulator?.close();
  return Boolean(emulator);
}
