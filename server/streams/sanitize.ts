/**
 * Keys never copied into a stream record, wherever they appear in a Plaid object: tokens and
 * secrets, and the account/routing numbers that /auth/get nests under `numbers`. A mask (last 4
 * digits) is kept; it is not a secret.
 */
const forbiddenKeys = new Set([
  'access_token', 'accessToken', 'public_token', 'publicToken', 'processor_token', 'link_token',
  'secret', 'client_id', 'numbers', 'account', 'account_number', 'accountNumber',
  'routing', 'routing_number', 'routingNumber', 'wire_routing', 'wireRoutingNumber',
  'accountNumberEnc', 'routingNumberEnc', 'wireRoutingNumberEnc', 'access_token_enc', 'accessTokenEnc',
]);

/** A Plaid access token's shape, so one under an unexpected key is still caught. */
const tokenShape = /^(access|public|processor)-(sandbox|development|production|emulator)-/;

/** Removed values are reported by path so a test (or a log line) can say what was dropped. */
export interface Sanitized<T> {
  value: T;
  removed: string[];
}

/** A deep copy of `input` without forbidden keys or token-shaped strings. */
export function stripSecrets<T>(input: T): Sanitized<T> {
  const removed: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((child, i) => walk(child, `${path}[${i}]`)).filter((v) => v !== DROP);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        const at = path ? `${path}.${key}` : key;
        if (forbiddenKeys.has(key)) {
          removed.push(at);
          continue;
        }
        const next = walk(child, at);
        if (next !== DROP) out[key] = next;
      }
      return out;
    }
    if (typeof node === 'string' && tokenShape.test(node)) {
      removed.push(path);
      return DROP;
    }
    return node;
  };
  return { value: walk(input, '') as T, removed };
}

const DROP = Symbol('drop');
