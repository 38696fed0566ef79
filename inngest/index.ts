import type { InngestFunction } from 'inngest';

/** Every Inngest function the app serves: add each one (one file per function under functions/). */
export const functions: InngestFunction.Any[] = [];
