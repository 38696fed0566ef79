import { NonRetriableError } from 'inngest';
import { isRetriable } from './failures';
import { safeErrorMessage } from '../safe-error';

/**
 * Runs a step body; a failure retrying cannot fix (login required, removed item, bad input) is
 * rethrown as NonRetriableError so Inngest ends the run at once instead of backing off.
 */
export async function failFastUnlessRetriable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isRetriable(err)) throw err;
    throw new NonRetriableError(safeErrorMessage(err), { cause: err });
  }
}
