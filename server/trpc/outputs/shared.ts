import { z } from 'zod';
import { stripSecrets } from '../../streams/sanitize';

/**
 * Pieces shared by the procedures' output schemas. An output schema is the browser's contract:
 * `z.object` drops any key it does not name, so a field a domain function adds by mistake (a
 * row's encrypted token, a cursor) never leaves the server. server/trpc/outputs.test.ts checks
 * that every procedure has one and that none names a field that could hold a secret.
 */

export const uuid = z.uuid();
export const plaidId = z.string().min(1).max(100);
export const isoDate = z.iso.date();
export const timestamp = z.date();
export const money = z.string(); // numeric columns arrive as decimal strings

/** Plaid's mask: "the last 2-4 alphanumeric characters" of the account number — never more. */
export const accountMask = z.string().regex(/^[0-9A-Za-z]{2,4}$/, 'A mask is 2-4 characters').nullable();

/** A Link token goes to the browser by design (Link opens with it): Plaid's shape and nothing else. */
export const linkToken = z
  .string()
  .regex(/^link-(sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Not a Link token');

/**
 * A JSON blob support reads as it is (Plaid's institution status, audit details, a stream record):
 * its shape belongs to Plaid or to another team, so it is checked to be JSON and passed through
 * the streams' sanitizer, which drops token, secret and account/routing-number keys and any
 * token-shaped string wherever they sit.
 */
export const redactedJson = z.preprocess((value) => stripSecrets(value ?? null).value, z.json());

/** A raw webhook body as received, re-serialised without secrets (or token-shaped strings blanked when it is not JSON). */
export const redactedBody = z.string().transform((raw) => {
  try {
    return JSON.stringify(stripSecrets(JSON.parse(raw) as unknown).value);
  } catch {
    return raw.replace(/\b(access|public|processor)-(sandbox|development|production|emulator)-[\w-]+/g, '[redacted]');
  }
});
