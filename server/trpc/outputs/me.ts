import { z } from 'zod';
import { userRoles, userStatuses } from '../../../db/schema';

/** me.get: the signed-in person. */
export const meOutput = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(userRoles),
  status: z.enum(userStatuses),
});
