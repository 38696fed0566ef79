import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PlaidWebhookKey } from '../plaid/webhook-verify';
import { guardKeyLookups } from './receive-key-lookups';

/** A stand-in for the key cache in front of Plaid: serves `real` kids, refuses the rest, counts calls. */
function plaidKeys(real: string[]) {
  const calls: string[] = [];
  const getKey = async (kid: string): Promise<PlaidWebhookKey> => {
    calls.push(kid);
    await new Promise((r) => setTimeout(r, 5));
    if (!real.includes(kid)) throw new Error('INVALID_WEBHOOK_VERIFICATION_KEY_ID');
    return { kid, kty: 'EC', crv: 'P-256', x: 'x', y: 'y' };
  };
  return { calls, getKey };
}

describe('guardKeyLookups', () => {
  it('asks Plaid about at most unknownPerMinute new kids a minute, whatever a flood of forgeries carries', async () => {
    let clock = 0;
    const plaid = plaidKeys([]);
    const guard = guardKeyLookups({ unknownPerMinute: 5, refusedForMs: 600_000 }, () => clock);
    const getKey = guard(plaid.getKey);
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => getKey(randomUUID())));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(plaid.calls).toHaveLength(5);
    expect(guard.stats).toEqual({ lookups: 5, refusedWithoutAsking: 195 });
    clock += 60_000;
    await getKey(randomUUID()).catch(() => undefined);
    expect(plaid.calls).toHaveLength(6);
  });

  it('does not ask again about a kid Plaid refused, and asks once for many concurrent uses of a new kid', async () => {
    const real = randomUUID();
    const plaid = plaidKeys([real]);
    const getKey = guardKeyLookups({ unknownPerMinute: 100, refusedForMs: 600_000 })(plaid.getKey);
    const bogus = randomUUID();
    await expect(getKey(bogus)).rejects.toThrow();
    await expect(getKey(bogus)).rejects.toThrow(/refused by Plaid recently/);
    const keys = await Promise.all(Array.from({ length: 20 }, () => getKey(real)));
    expect(keys.every((k) => k.kid === real)).toBe(true);
    expect(plaid.calls).toEqual([bogus, real]);
  });

  it('a kid Plaid served goes straight to the cache even when the minute\'s lookups are used up', async () => {
    const real = randomUUID();
    const plaid = plaidKeys([real]);
    const getKey = guardKeyLookups({ unknownPerMinute: 2, refusedForMs: 600_000 })(plaid.getKey);
    await getKey(real);
    await getKey(randomUUID()).catch(() => undefined);
    await expect(getKey(randomUUID())).rejects.toThrow(/too many lookups/);
    await expect(getKey(real)).resolves.toMatchObject({ kid: real });
  });
});
