import { z } from 'zod';
import { itemStatuses } from '../../db/schema';

/** Shared input pieces for procedures. */
export const itemId = z.uuid();
export const isoDate = z.iso.date();
export const itemStatus = z.enum(itemStatuses);
export const plaidId = z.string().min(1).max(100);
