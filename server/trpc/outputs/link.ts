import { z } from 'zod';
import { linkToken, uuid } from './shared';

/** link.createToken: the Link token (it must reach the browser) and which mode it opens. */
export const linkTokenOutput = z.object({
  linkToken,
  expiration: z.string(),
  mode: z.enum(['new', 'update']),
  itemId: uuid.nullable(),
});

export const recordLinkEventOutput = z.object({ id: uuid });
