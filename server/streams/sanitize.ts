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
  // The path is only spelled out for what is removed: this runs on every synced transaction.
  const trail: Array<string | number> = [];
  const at = () => trail.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (let i = 0; i < node.length; i++) {
        trail.push(i);
        const next = walk(node[i]);
        trail.pop();
        if (next !== DROP) out.push(next);
      }
      return out;
    }
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(node)) {
        trail.push(key);
        if (forbiddenKeys.has(key)) removed.push(at());
        else {
          const next = walk((node as Record<string, unknown>)[key]);
          if (next !== DROP) out[key] = next;
        }
        trail.pop();
      }
      return out;
    }
    if (typeof node === 'string' && tokenShape.test(node)) {
      removed.push(at());
      return DROP;
    }
    return node;
  };
  return { value: walk(input) as T, removed };
}

const DROP = Symbol('drop');

/** Whether stripSecrets would remove anything from `node` (a scan that allocates nothing). */
function holdsSecrets(node: unknown): boolean {
  if (typeof node === 'string') return tokenShape.test(node);
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (holdsSecrets(node[i])) return true;
    return false;
  }
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    if (forbiddenKeys.has(key) || holdsSecrets((node as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/**
 * `input` without forbidden keys or token-shaped strings: `input` itself when it holds none (the
 * common case, on the publisher's hot path: no copy), else stripSecrets' copy. Never mutate the result.
 */
export function withoutSecrets<T>(input: T): T {
  return holdsSecrets(input) ? stripSecrets(input).value : input;
}
