import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from './routers/_app';
import { linkToken, redactedBody, redactedJson } from './outputs/shared';

/**
 * The first line of "no secret reaches a browser": every procedure's answer goes through an
 * output schema, and no output schema has a place for a secret. (The leak scans are the second
 * line: they look for the secrets themselves in what a whole journey returned.)
 */

type Schema = z.core.$ZodType;

/** camelCase and snake_case keys as lower-case words: `accessTokenEnc` -> access, token, enc. */
const words = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_\-]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);

const secretWords = new Set(['token', 'tokens', 'secret', 'password', 'passwd', 'routing', 'enc', 'encrypted', 'ciphertext', 'iban', 'ssn']);
const secretPairs = [['account', 'number'], ['account', 'numbers'], ['api', 'key'], ['private', 'key'], ['signing', 'key']];

/** Whether a key names something secret: a token, a password, a full account or routing number, a ciphertext. */
function secretKey(key: string): boolean {
  const w = words(key);
  if (w.length === 1 && (w[0] === 'account' || w[0] === 'numbers')) return true; // Plaid's /auth `numbers`, a bare `account` object
  if (w.some((x) => secretWords.has(x))) return true;
  return secretPairs.some(([a, b]) => w.some((x, i) => x === a && w[i + 1] === b));
}

/** Where a schema could carry a secret, as paths with a reason; [] when it cannot. */
function leaksIn(schema: Schema, path = '$'): string[] {
  // The two sanitised pass-throughs: opaque by design, tested on their own below.
  if (schema === redactedJson || schema === redactedBody) return [];
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'string': case 'number': case 'boolean': case 'date': case 'enum': case 'literal': case 'null': case 'bigint':
      return [];
    case 'object': {
      const catchall = def.catchall as Schema | undefined;
      const out = catchall && catchall._zod.def.type !== 'never' ? [`${path}: passes unknown keys through`] : [];
      for (const [key, value] of Object.entries(def.shape as Record<string, Schema>)) {
        const at = `${path}.${key}`;
        if (key === 'linkToken') {
          if (value !== linkToken) out.push(`${at}: a Link token must use the linkToken schema`);
          continue;
        }
        // A flag about a secret (`hasAccountNumbers: boolean`) cannot hold one.
        if (secretKey(key) && value._zod.def.type !== 'boolean') out.push(`${at}: names a secret`);
        out.push(...leaksIn(value, at));
      }
      return out;
    }
    case 'array':
      return leaksIn(def.element as Schema, `${path}[]`);
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'nonoptional': case 'catch':
      return leaksIn(def.innerType as Schema, path);
    case 'union':
      return (def.options as Schema[]).flatMap((o, i) => leaksIn(o, `${path}|${i}`));
    case 'pipe':
      return [...leaksIn(def.in as Schema, path), ...leaksIn(def.out as Schema, path)];
    default:
      // unknown, any, record, lazy, transform, custom...: room for anything, secrets included.
      return [`${path}: opaque (${def.type})`];
  }
}

// Typed as the nested router, but at run time a flat record keyed by dotted path ('support.items.list').
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { output?: unknown } }>);

describe('output schemas', () => {
  it('every procedure declares an output schema', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(37);
    expect(procedures.map(([name]) => name)).toContain('support.items.forceRemove');
    const missing = procedures.filter(([, p]) => !(p._def.output && typeof p._def.output === 'object' && '_zod' in p._def.output)).map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('no output schema has a place for a token, a secret or a full account or routing number', () => {
    const leaks = procedures.flatMap(([name, p]) => (p._def.output ? leaksIn(p._def.output as Schema, name) : []));
    expect(leaks).toEqual([]);
  });

  it('the scan finds a planted secret field, however it is nested', () => {
    const planted: Array<[string, Schema]> = [
      ['accessToken', z.object({ accessToken: z.string() })],
      ['access_token', z.object({ item: z.object({ access_token: z.string().nullable() }) })],
      ['publicToken', z.array(z.object({ publicToken: z.string().optional() }))],
      ['accessTokenEnc', z.object({ accessTokenEnc: z.string() })],
      ['accountNumber', z.object({ accountNumber: z.string() })],
      ['account', z.object({ account: z.object({ id: z.string() }) })],
      ['numbers', z.object({ numbers: z.array(z.object({ id: z.string() })) })],
      ['wire_routing_number', z.object({ x: z.union([z.string(), z.object({ wire_routing_number: z.string() })]) })],
      ['routing', z.object({ Routing: z.string() })],
      ['secret', z.object({ clientSecret: z.string() })],
      ['password', z.object({ PASSWORD: z.string() })],
      ['a loose object', z.looseObject({ id: z.string() })],
      ['an unknown blob', z.object({ blob: z.unknown() })],
      ['a record', z.object({ blob: z.record(z.string(), z.string()) })],
      ['a bare transform', z.object({ x: z.string().transform((s) => s) })],
      ['a Link token of any shape', z.object({ linkToken: z.string() })],
    ];
    for (const [label, schema] of planted) expect(leaksIn(schema), label).not.toEqual([]);
  });

  it('does not flag names that only mention accounts or keys', () => {
    const fine = z.object({
      accountId: z.string(),
      accounts: z.array(z.object({ id: z.string(), mask: z.string().nullable() })),
      hasAccountNumbers: z.boolean(),
      partitionKey: z.string(),
      nextCursor: z.string().nullable(),
      linkToken,
    });
    expect(leaksIn(fine)).toEqual([]);
  });
});

describe('sanitised pass-throughs', () => {
  it('a JSON blob loses secret keys and token-shaped strings wherever they sit', () => {
    const out = redactedJson.parse({
      item_id: 'it-1',
      access_token: 'access-sandbox-0f3e5b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      nested: [{ numbers: { ach: [{ account: '1111222233330000', routing: '011401533' }] }, mask: '0000' }],
      note: 'public-production-0f3e5b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    });
    expect(out).toEqual({ item_id: 'it-1', nested: [{ mask: '0000' }] });
    expect(redactedJson.parse(null)).toBeNull();
  });

  it('a webhook body keeps what support reads and loses a public token', () => {
    const body = JSON.stringify({
      webhook_type: 'LINK', webhook_code: 'ITEM_ADD_RESULT', link_session_id: 's-1',
      public_token: 'public-sandbox-0f3e5b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      public_tokens: ['public-sandbox-1f3e5b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b'],
    });
    expect(JSON.parse(redactedBody.parse(body))).toEqual({ webhook_type: 'LINK', webhook_code: 'ITEM_ADD_RESULT', link_session_id: 's-1', public_tokens: [] });
    expect(redactedBody.parse('not json access-sandbox-0f3e5b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b!')).toBe('not json [redacted]!');
  });
});
