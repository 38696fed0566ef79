import { z } from 'zod';
import { institutionHealth } from '../../../db/schema';
import { redactedJson, timestamp } from './shared';

/** An institution as the app shows it; `status` is Plaid's per-product status object, sanitised. */
export const institutionOutput = z.object({
  id: z.string(),
  name: z.string(),
  logo: z.string().nullable(),
  primaryColor: z.string().nullable(),
  url: z.string().nullable(),
  products: z.array(z.string()),
  health: z.enum(institutionHealth),
  status: redactedJson,
});

/** support.institutions.list: the same, with when it was last refreshed. */
export const supportInstitutionOutput = institutionOutput.extend({ refreshedAt: timestamp });
